package io.rimedata.identity.service;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The login/refresh response of §2.1. */
@Schema(name = "TokenPair")
public record TokenPair(
        @Schema(description = "JWT to send as `Authorization: Bearer`.") String accessToken,
        @Schema(description = "Single-use token for POST /auth/refresh.") String refreshToken,
        @Schema(examples = "Bearer") String tokenType,
        @Schema(description = "Access token lifetime in seconds.", examples = "3600") long expiresIn) {
}
