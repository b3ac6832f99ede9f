package io.rimedata.platform.error;

/** HTTP 404 {@code resource_not_found}: absent, or owned by another tenant or project (never revealed). */
public class NotFound extends ApiException {

    public NotFound(String message) {
        super(message);
    }

    /** The contract's message shape: {@code Project with ID '…' was not found.} */
    public static NotFound of(String kind, Object id) {
        return new NotFound(kind + " with ID '" + id + "' was not found.");
    }

    @Override
    public int status() {
        return 404;
    }

    @Override
    public String code() {
        return "resource_not_found";
    }
}
