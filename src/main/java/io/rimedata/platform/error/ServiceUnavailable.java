package io.rimedata.platform.error;

import java.util.List;

/** HTTP 503 `service_unavailable`. */
public class ServiceUnavailable extends ApiException {

    public ServiceUnavailable(String message) {
        super(message);
    }

    public ServiceUnavailable(String message, List<ErrorDetail> details) {
        super(message, details);
    }

    @Override
    public int status() {
        return 503;
    }

    @Override
    public String code() {
        return "service_unavailable";
    }
}
