package io.rimedata.identity.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rimedata.identity.ApiKey;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Records of {@code /projects/{id}/api-keys} (§2.2). */
public final class ApiKeyApi {

    private ApiKeyApi() {
    }

    @Schema(name = "CreateApiKey")
    public record CreateApiKey(@NotBlank @Size(max = 100) String name,
            @NotNull @Pattern(regexp = UserApi.ROLES, message = UserApi.ROLES_MESSAGE) String role,
            @Future(message = "Must be in the future.") Instant expiresAt) {
    }

    @Schema(name = "ApiKey")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ApiKeyView(UUID id, String name, String prefix, String role, List<String> scopes, UUID createdBy,
            Instant createdAt, @JsonInclude(JsonInclude.Include.ALWAYS) Instant lastUsedAt,
            @JsonInclude(JsonInclude.Include.ALWAYS) Instant expiresAt,
            @Schema(description = "The key itself: present only in the response that created it.") String key) {

        public static ApiKeyView of(ApiKey k, String key) {
            List<String> scopes = k.scopes == null || k.scopes.isBlank() ? List.of() : List.of(k.scopes.split(" "));
            return new ApiKeyView(k.id, k.name, k.prefix, k.role, scopes, k.createdBy, k.createdAt, k.lastUsedAt,
                    k.expiresAt, key);
        }
    }
}
