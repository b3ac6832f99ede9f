package io.rimedata.platform.error;

/** HTTP 429 {@code rate_limited}; {@code Retry-After} is always at least one second. */
public class RateLimited extends ApiException {

    private final long retryAfterSeconds;

    public RateLimited(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    @Override
    public int status() {
        return 429;
    }

    @Override
    public String code() {
        return "rate_limited";
    }
}
