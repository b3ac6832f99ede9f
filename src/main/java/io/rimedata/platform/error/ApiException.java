package io.rimedata.platform.error;

import java.util.List;

/**
 * A failure that the API reports to its caller. Subclasses fix the HTTP status and error code of the
 * contract (§1.1); {@link ErrorMappers} turns every one of them into the error envelope.
 */
public abstract class ApiException extends RuntimeException {

    private final transient List<ErrorDetail> details;

    protected ApiException(String message, List<ErrorDetail> details) {
        super(message, null, false, false);
        this.details = details == null ? List.of() : List.copyOf(details);
    }

    protected ApiException(String message) {
        this(message, List.of());
    }

    public abstract int status();

    public abstract String code();

    public List<ErrorDetail> details() {
        return details;
    }
}
