package io.github.accounts.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * The answers Jetty makes itself, which never reach a Spark route: a request it cannot parse (answered before it
 * knows the path, so as problem JSON everywhere), or one it refuses after parsing (problem JSON under the given
 * prefixes, Jetty's plain page without a stack trace elsewhere). Every one carries the host's security headers.
 * Thread-safe.
 */
final class JettyErrors extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> problemPrefixes;
    private final Map<String, String> securityHeaders;

    JettyErrors(List<String> problemPrefixes, Map<String, String> securityHeaders) {
        this.problemPrefixes = problemPrefixes;
        this.securityHeaders = securityHeaders;
        setShowStacks(false);
        setShowServlet(false);
        setShowMessageInTitle(false);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problems.MEDIA_TYPE);
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        securityHeaders.forEach(fields::put);
        return ByteBuffer.wrap(problem(status));
    }

    @Override
    public void doError(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        securityHeaders.forEach(response::setHeader);
        if (!underProblemPrefix(request.getRequestURI())) {
            super.doError(target, baseRequest, request, response);
            return;
        }
        byte[] body = problem(response.getStatus());
        response.setContentType(Problems.MEDIA_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        baseRequest.setHandled(true);
    }

    /** Every method gets an error body, not only GET, POST and HEAD (Jetty's default). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    private boolean underProblemPrefix(String uri) {
        if (uri == null) {
            return false;
        }
        for (String prefix : problemPrefixes) {
            if (uri.equals(prefix) || uri.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }

    /** A problem body for one of Jetty's statuses; the detail is ours, never Jetty's reason (it may quote input). */
    private static byte[] problem(int status) {
        String code;
        String detail;
        switch (status) {
            case 405 -> {
                code = "method_not_allowed";
                detail = "This method is not served here.";
            }
            case 408 -> {
                code = "request_timeout";
                detail = "The request did not arrive in time.";
            }
            case 413 -> {
                code = "payload_too_large";
                detail = "The request is too large.";
            }
            case 414 -> {
                code = "uri_too_long";
                detail = "The request URI is too long.";
            }
            case 431 -> {
                code = "headers_too_large";
                detail = "The request headers are too large.";
            }
            case 503 -> {
                code = "unavailable";
                detail = "The server cannot answer now; try again shortly.";
            }
            default -> {
                code = status >= 500 ? "internal_error" : "bad_request";
                detail = status >= 500 ? "Something went wrong on our side." : "The request is not valid HTTP.";
            }
        }
        try {
            return JSON.writeValueAsBytes(Problems.problem(status, code, detail));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
