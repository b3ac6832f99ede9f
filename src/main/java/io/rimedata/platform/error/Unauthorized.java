package io.rimedata.platform.error;

import java.util.List;

/**
 * HTTP 401 {@code unauthorized}, with the RFC 6750 challenge to send in {@code WWW-Authenticate}: a bare
 * {@code Bearer realm} when no credentials were presented (§3 of the RFC: no error code then), or
 * {@code error="invalid_token"} with a description that tells a client whether refreshing can help.
 */
public class Unauthorized extends ApiException {

    /** The protection space named in every challenge. */
    public static final String REALM = "rime";
    public static final String EXPIRED = "The access token expired";
    public static final String REVOKED = "The access token was revoked";
    public static final String INVALID = "The access token is invalid";

    private final String challenge;

    /** Credentials are missing, or the failure is not about a bearer token (a password, a refresh token). */
    public Unauthorized(String message) {
        this(message, List.of());
    }

    public Unauthorized(String message, List<ErrorDetail> details) {
        super(message, details);
        this.challenge = "Bearer realm=\"" + REALM + "\"";
    }

    private Unauthorized(String message, String description) {
        super(message, List.of());
        this.challenge = "Bearer realm=\"" + REALM + "\", error=\"invalid_token\", error_description=\"" + description + "\"";
    }

    /** A bearer token was presented and refused; {@code description} is one of the constants of this class. */
    public static Unauthorized invalidToken(String description) {
        String message = EXPIRED.equals(description)
                ? "The access token expired: refresh it or log in again."
                : "Authentication is required: send a valid Bearer token.";
        return new Unauthorized(message, description);
    }

    /** The value of {@code WWW-Authenticate}. */
    public String challenge() {
        return challenge;
    }

    @Override
    public int status() {
        return 401;
    }

    @Override
    public String code() {
        return "unauthorized";
    }
}
