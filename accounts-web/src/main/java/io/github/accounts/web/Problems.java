package io.github.accounts.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.accounts.core.AccountsException;
import io.github.accounts.core.ErrorCode;
import io.github.accounts.web.dto.ProblemBody;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Request;
import spark.Response;

import java.util.List;
import java.util.UUID;

/**
 * The one place where failures become HTTP answers: every error under the prefix is
 * {@code application/problem+json} with the contract's {@code code}. Expected outcomes are not logged as
 * errors; unexpected ones are logged with a correlation id that the problem's {@code instance} carries, and the
 * client sees a generic detail, never a stack trace. Thread-safe.
 */
final class Problems {
    static final String MEDIA_TYPE = "application/problem+json";
    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    private final ObjectMapper json;

    Problems(ObjectMapper json) {
        this.json = json;
    }

    /** Writes the problem for {@code failure} onto {@code res} and returns the body. */
    String write(Request req, Response res, Exception failure) {
        ProblemBody problem = toProblem(req, res, failure);
        res.status(problem.status());
        res.type(MEDIA_TYPE);
        res.header("Cache-Control", "no-store");
        try {
            return json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A problem body could not be written", e);
        }
    }

    private ProblemBody toProblem(Request req, Response res, Exception failure) {
        if (failure instanceof AccountsException e && e.code() != ErrorCode.INTERNAL_ERROR) {
            int status = status(e.code());
            e.retryAfter().ifPresent(d -> res.header("Retry-After", Long.toString(Math.max(1, d.toSeconds()))));
            if (status == 401) {
                res.header("WWW-Authenticate", Bearer.challenge(req));
            }
            if (e.code() == ErrorCode.UNAVAILABLE) {
                log.warn("Database unavailable: {}", String.valueOf(e.getCause()));
            }
            List<ProblemBody.FieldErrorBody> errors = e.errors().isEmpty() ? null : e.errors().stream()
                    .map(f -> new ProblemBody.FieldErrorBody(f.field(), f.code(), f.message())).toList();
            return problem(status, e.code().wireName(), e.getMessage(), null, errors);
        }
        if (failure instanceof HttpProblem e) {
            return problem(e.status, e.code, e.getMessage(), null, null);
        }
        String id = UUID.randomUUID().toString();
        log.error("Unexpected failure {} on {} {}", id, req.requestMethod(), req.pathInfo(), failure);
        return problem(500, "internal_error", "Something went wrong on our side; the server log has the details.",
                "urn:uuid:" + id, null);
    }

    /** The HTTP status of each core failure, per the contract's table. */
    static int status(ErrorCode code) {
        return switch (code) {
            case VALIDATION_FAILED, INVALID_TOKEN -> 400;
            case INVALID_WEBAUTHN_RESPONSE, INVALID_CEREMONY, INVALID_WEBHOOK_URL -> 400;
            case INVALID_CREDENTIALS, UNAUTHENTICATED, INVALID_UPDATE_TOKEN, INVALID_MFA_TOKEN, INVALID_MFA_CODE -> 401;
            case WRONG_PASSWORD, ACCOUNT_DISABLED, FORBIDDEN, MFA_REQUIRED, REAUTHENTICATION_REQUIRED -> 403;
            case NOT_FOUND -> 404;
            case EMAIL_TAKEN, MFA_ALREADY_ENABLED, MFA_NOT_ENABLED, EMAIL_NOT_VERIFIED -> 409;
            case THROTTLED -> 429;
            case OVERLOADED, UNAVAILABLE -> 503;
            case INTERNAL_ERROR -> 500;
        };
    }

    /** A problem without field errors or instance. */
    static ProblemBody problem(int status, String code, String detail) {
        return problem(status, code, detail, null, null);
    }

    private static ProblemBody problem(int status, String code, String detail, String instance,
                                       List<ProblemBody.FieldErrorBody> errors) {
        return new ProblemBody("urn:accounts:problem:" + code, title(status), status, detail, code, instance, errors);
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> HttpStatus.getMessage(status);
        };
    }
}
