package io.rimedata.platform.pagination;

/**
 * A pagination cursor was rejected; the message is safe to return to API clients.
 */
public final class InvalidCursorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidCursorException(String message) {
        super(message);
    }
}
