package io.github.accounts.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.FieldError;
import spark.Request;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A request body read under the contract's rules: {@code Content-Type: application/json} or 415; at most
 * {@link #MAX_BYTES} actually read (not just declared) or 413; a JSON object or 400 {@code malformed_json}.
 * Fields are read as strings; a field of another type is a field error, collected until {@link #check()}.
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
            parsed = json.readTree(bytes);
        } catch (IOException e) {
            throw HttpProblem.malformedJson("The body is not valid JSON.");
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw HttpProblem.malformedJson("The body must be a JSON object.");
        }
        return new JsonBody(object);
    }

    /** Whether the request carries a body at all (for routes where one is optional). */
    static boolean present(Request req) {
        return req.contentLength() > 0 || req.headers("Transfer-Encoding") != null;
    }

    /** The field as a string, or null when absent or null; another type is recorded as an error. */
    String text(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add(new FieldError(field, "invalid", field + " must be a string."));
            return null;
        }
        return value.textValue();
    }

    /** Throws {@code validation_failed} for every field of the wrong type. */
    void check() {
        if (!errors.isEmpty()) {
            throw AccountsException.invalid(errors);
        }
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
     * {@link #DRAIN_BYTES} of it.
     */
    private static byte[] readAtMost(Request req, int max) {
        try (InputStream in = ServletRequests.beneathSpark(req).getInputStream()) {
            byte[] buffer = new byte[8192];
            if (req.contentLength() > max) {
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
        } catch (IOException e) {
            throw HttpProblem.malformedJson("The body could not be read.");
        }
    }

    private static void drain(InputStream in, byte[] buffer) throws IOException {
        long drained = 0;
        int n;
        while (drained < DRAIN_BYTES && (n = in.read(buffer)) != -1) {
            drained += n;
        }
    }

    private static HttpProblem tooLarge() {
        return new HttpProblem(413, "payload_too_large", "The body must be at most 64 KiB.");
    }
}
