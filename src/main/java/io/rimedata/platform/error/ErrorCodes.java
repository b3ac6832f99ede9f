package io.rimedata.platform.error;

/** The contract's error code for each HTTP status (§1.1), for failures that arrive as a bare status. */
public final class ErrorCodes {

    private ErrorCodes() {
    }

    public static String of(int status) {
        return switch (status) {
            case 400 -> "validation_error";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "resource_not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 409 -> "conflict";
            case 412 -> "precondition_failed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 422 -> "unprocessable_entity";
            case 429 -> "rate_limited";
            case 503 -> "service_unavailable";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
    }

    /** A message for a bare status; never derived from an exception's text. */
    public static String message(int status) {
        return switch (status) {
            case 404 -> "No route matches this path.";
            case 405 -> "This method is not allowed on this path.";
            case 413 -> "The request body is larger than allowed.";
            case 503 -> "A backing service is unavailable; retry shortly.";
            default -> status >= 500 ? "An unexpected error occurred." : "The request could not be processed.";
        };
    }
}
