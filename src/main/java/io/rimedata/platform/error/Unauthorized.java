package io.rimedata.platform.error;

import java.util.List;

/** HTTP 401 `unauthorized`. */
public class Unauthorized extends ApiException {

    public Unauthorized(String message) {
        super(message);
    }

    public Unauthorized(String message, List<ErrorDetail> details) {
        super(message, details);
    }

    @Override
    public int status() {
        return 401;
    }

    @Override
    public String code() {
        return "unauthorized";
    }
}
