package io.rimedata.platform.error;

import org.jose4j.jwt.consumer.InvalidJwtException;

/** Tells why a presented bearer token was refused, as far as a client may know: expired, or simply invalid. */
public final class TokenFailures {

    private TokenFailures() {
    }

    /** The RFC 6750 {@code error_description} for an authentication failure: {@link Unauthorized#EXPIRED} or invalid. */
    public static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // only a token whose signature and claims checked out apart from its expiry counts as expired
            if (t instanceof InvalidJwtException jwt && jwt.hasExpired() && jwt.getErrorDetails().size() == 1) {
                return Unauthorized.EXPIRED;
            }
        }
        return Unauthorized.INVALID;
    }

    /** The 401 to answer for an authentication failure. */
    public static Unauthorized unauthorized(Throwable failure) {
        return Unauthorized.invalidToken(describe(failure));
    }
}
