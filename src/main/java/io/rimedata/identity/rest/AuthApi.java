package io.rimedata.identity.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Request records of {@code /auth}. */
public final class AuthApi {

    private AuthApi() {
    }

    @Schema(name = "LoginRequest")
    public record Login(@NotBlank @Size(max = 320) @Schema(examples = "admin@acme.test") String email,
            @NotBlank @Size(max = 200) String password) {
    }

    @Schema(name = "RefreshRequest")
    public record Refresh(@NotBlank @Size(max = 200) String refreshToken) {
    }
}
