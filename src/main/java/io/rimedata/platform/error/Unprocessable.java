package io.rimedata.platform.error;

import java.util.List;

/** HTTP 422 `unprocessable_entity`. */
public class Unprocessable extends ApiException {

    public Unprocessable(String message) {
        super(message);
    }

    public Unprocessable(String message, List<ErrorDetail> details) {
        super(message, details);
    }

    @Override
    public int status() {
        return 422;
    }

    @Override
    public String code() {
        return "unprocessable_entity";
    }
}
