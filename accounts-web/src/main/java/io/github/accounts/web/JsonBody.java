package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.core.FieldError;
import org.eclipse.jetty.http.BadMessageException;
import spark.Request;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A request body read under the contract's rules: {@code Content-Type: application/json} or 415; at most
 * {@link #MAX_BYTES} actually read (not just declared) or 413; one JSON object, with no duplicate keys, nothing
 * after it and no lone surrogate in any string, or 400 {@code malformed_json}; a body that stops arriving is 408.
 * Fields are read as strings; a field of another type is a field error, reported with core's own field errors by
 * {@link #merge}.
 */
final class JsonBody {
    static final int MAX_BYTES = 64 * 1024;
    /**
     * How much of a refused body is still read and thrown away, so that the client, which is still sending it,
     * gets to read the 413 instead of a connection reset (Jetty closes a connection with unread input, and a close
     * with unread bytes is a reset). Bodies larger still are cut off.
     */
    static final int DRAIN_BYTES = 1024 * 1024;

    private final ObjectNode node;
    private final List<FieldError> errors = new ArrayList<>();

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    static JsonBody read(Request req, ObjectMapper json) {
        requireJsonContentType(req);
        byte[] bytes = readAtMost(req, MAX_BYTES);
        JsonNode parsed;
        try {
            parsed = json.readTree(bytes); // strict: see AccountsRoutes.configure
        } catch (IOException e) {
            throw HttpProblem.malformedJson("The body is not valid JSON.");
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw HttpProblem.malformedJson("The body must be a JSON object.");
        }
        if (hasLoneSurrogate(object)) {
            // I-JSON (RFC 7493 §2.1); Java would carry it on, and UTF-8 encoding would turn it into '?'.
            throw HttpProblem.malformedJson("A string in the body holds a lone surrogate (not a Unicode character).");
        }
        return new JsonBody(object);
    }

    /**
     * For routes that take no body: none, or an empty one ({@code Content-Length: 0}); any other is refused, 413
     * over {@link #MAX_BYTES} and 415 otherwise, before the route does anything.
     */
    static void requireNone(Request req) {
        long declared = ServletRequests.beneathSpark(req).getContentLengthLong();
        if (declared == 0 || declared < 0 && req.headers("Transfer-Encoding") == null) {
            return;
        }
        if (readAtMost(req, MAX_BYTES).length > 0) {
            throw new HttpProblem(415, "unsupported_media_type", "This route takes no body.");
        }
    }

    /**
     * The field as a string, or null when absent or null. Another type is recorded as an error and read as the
     * empty string, which every rule of core refuses: core then still judges the other fields, and changes nothing.
     */
    String text(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add(new FieldError(field, "invalid", field + " must be a string."));
            return "";
        }
        return value.textValue();
    }

    /**
     * The field as JSON text when it is an object (a passkey credential, say), or null when absent or null. Another
     * type is recorded as an error and read as the empty string, as in {@link #text}.
     */
    String object(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            errors.add(new FieldError(field, "invalid", field + " must be an object."));
            return "";
        }
        return value.toString();
    }

    /**
     * The field as a list of strings, or null when absent or null. Another type, or an element that is not a string,
     * is recorded as an error and read as an empty list, as in {@link #text}.
     */
    List<String> texts(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(element -> out.add(element.isTextual() ? element.textValue() : null));
        }
        if (!value.isArray() || out.contains(null)) {
            errors.add(new FieldError(field, "invalid", field + " must be a list of strings."));
            return List.of();
        }
        return out;
    }

    /** Whether the body has {@code field} with a value other than null. */
    boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    /** Whether the request sends a body at all (a declared length over 0, or a chunked one). */
    static boolean present(Request req) {
        return req.contentLength() > 0 || req.headers("Transfer-Encoding") != null;
    }

    /** For fields no core rule judges: {@code validation_failed} now if any of them had the wrong type. */
    void requireTypes() {
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(List.copyOf(errors));
        }
    }

    /**
     * What to answer when core refused this body's fields: with no type errors, core's failure as it is; else
     * {@code validation_failed} with this body's type errors and core's errors for the other fields, so that one
     * wrong type does not hide what is wrong elsewhere.
     */
    RuntimeException merge(AccountsException fromCore) {
        if (errors.isEmpty()) {
            return fromCore;
        }
        List<FieldError> all = new ArrayList<>(errors);
        if (fromCore.code() == ErrorCode.VALIDATION_FAILED) {
            Set<String> typed = errors.stream().map(FieldError::field).collect(Collectors.toSet());
            fromCore.errors().stream().filter(e -> !typed.contains(e.field())).forEach(all::add);
        }
        return AccountsException.invalid(all);
    }

    private static void requireJsonContentType(Request req) {
        String type = req.contentType();
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw new HttpProblem(415, "unsupported_media_type", "Send the body as Content-Type: application/json.");
        }
    }

    /**
     * Reads from the servlet request beneath Spark's wrapper, which would buffer any size in memory. A body
     * declared or found longer than {@code max} bytes is answered 413, after discarding up to
     * {@link #DRAIN_BYTES} of it. A body that stalls (Jetty's request idle timeout) or drips (its minimum data
     * rate, both set by {@link JettySettings}) is answered 408.
     */
    private static byte[] readAtMost(Request req, int max) {
        try (InputStream in = ServletRequests.beneathSpark(req).getInputStream()) {
            byte[] buffer = new byte[8192];
            if (ServletRequests.beneathSpark(req).getContentLengthLong() > max) {
                drain(in, buffer);
                throw tooLarge();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (out.size() + n > max) {
                    drain(in, buffer);
                    throw tooLarge();
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException | BadMessageException e) {
            throw new HttpProblem(408, "request_timeout", "The body did not arrive in time.");
        }
    }

    /** Reads and discards up to {@link #DRAIN_BYTES}; a body that stops arriving ends the draining, not the 413. */
    private static void drain(InputStream in, byte[] buffer) {
        try {
            long drained = 0;
            int n;
            while (drained < DRAIN_BYTES && (n = in.read(buffer)) != -1) {
                drained += n;
            }
        } catch (IOException | BadMessageException e) {
            // the answer stays 413; Jetty closes the connection
        }
    }

    private static HttpProblem tooLarge() {
        return new HttpProblem(413, "payload_too_large", "The body must be at most 64 KiB.");
    }

    private static boolean hasLoneSurrogate(JsonNode node) {
        if (node.isTextual()) {
            return hasLoneSurrogate(node.textValue());
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            if (hasLoneSurrogate(names.next())) {
                return true;
            }
        }
        for (JsonNode child : node) {
            if (hasLoneSurrogate(child)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
