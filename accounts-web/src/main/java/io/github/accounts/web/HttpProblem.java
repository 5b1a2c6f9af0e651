package io.github.accounts.web;

/**
 * A failure the web layer finds itself, before core is called: malformed JSON, wrong media type, too large a
 * body, no such route. Light: no stack trace, since it is an answer rather than a fault.
 */
final class HttpProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String code;

    HttpProblem(int status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    static HttpProblem malformedJson(String detail) {
        return new HttpProblem(400, "malformed_json", detail);
    }

    static HttpProblem notFound() {
        return new HttpProblem(404, "not_found", "There is no such route.");
    }
}
