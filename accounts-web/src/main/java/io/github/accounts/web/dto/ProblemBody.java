package io.github.accounts.web.dto;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * An RFC 9457 problem with the contract's stable {@code code}; {@code errors} only for invalid input,
 * {@code instance} only for unexpected failures (the correlation id in the server log).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemBody(String type, String title, int status, String detail, String code, String instance,
                          List<FieldErrorBody> errors) {

    /** One invalid field. */
    public record FieldErrorBody(String field, String code, String message) {
    }
}
