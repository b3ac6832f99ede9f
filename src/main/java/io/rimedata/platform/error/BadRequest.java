package io.rimedata.platform.error;

import java.util.List;

/** HTTP 400 {@code validation_error}, with the offending fields in {@code details}. */
public class BadRequest extends ApiException {

    public static final String DEFAULT_MESSAGE = "Request validation failed.";

    public BadRequest(String message) {
        super(message);
    }

    public BadRequest(String message, List<ErrorDetail> details) {
        super(message, details);
    }

    public static BadRequest field(String field, String message) {
        return new BadRequest(DEFAULT_MESSAGE, List.of(new ErrorDetail(field, message)));
    }

    @Override
    public int status() {
        return 400;
    }

    @Override
    public String code() {
        return "validation_error";
    }
}
