package io.rimedata.platform.error;

import java.util.List;

/** HTTP 403 `forbidden`. */
public class Forbidden extends ApiException {

    public Forbidden(String message) {
        super(message);
    }

    public Forbidden(String message, List<ErrorDetail> details) {
        super(message, details);
    }

    @Override
    public int status() {
        return 403;
    }

    @Override
    public String code() {
        return "forbidden";
    }
}
