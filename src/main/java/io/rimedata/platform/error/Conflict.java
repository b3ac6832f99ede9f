package io.rimedata.platform.error;

import java.util.List;

/** HTTP 409 `conflict`. */
public class Conflict extends ApiException {

    public Conflict(String message) {
        super(message);
    }

    public Conflict(String message, List<ErrorDetail> details) {
        super(message, details);
    }

    @Override
    public int status() {
        return 409;
    }

    @Override
    public String code() {
        return "conflict";
    }
}
