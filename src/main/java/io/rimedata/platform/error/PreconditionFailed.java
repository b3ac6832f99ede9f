package io.rimedata.platform.error;

import java.util.List;

/** HTTP 412 `precondition_failed`. */
public class PreconditionFailed extends ApiException {

    public PreconditionFailed(String message) {
        super(message);
    }

    public PreconditionFailed(String message, List<ErrorDetail> details) {
        super(message, details);
    }

    @Override
    public int status() {
        return 412;
    }

    @Override
    public String code() {
        return "precondition_failed";
    }
}
