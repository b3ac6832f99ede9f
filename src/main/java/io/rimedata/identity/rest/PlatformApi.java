package io.rimedata.identity.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rimedata.identity.User;
import io.rimedata.platform.tenancy.Tenant;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Records of the operator's {@code /platform} API. */
public final class PlatformApi {

    private PlatformApi() {
    }

    @Schema(name = "CreateTenant")
    public record CreateTenant(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}", message = "Must be a DNS label: lowercase letters, digits and hyphens, at most 63 characters.")
            @Schema(examples = "acme") String subdomain,
            @NotBlank @Size(max = 200) String name,
            @NotNull @Pattern(regexp = "free|small_business|business|business_critical", message = "Must be one of free, small_business, business, business_critical.")
            String tier,
            @NotNull @Valid AdminInput admin) {
    }

    @Schema(name = "TenantAdminInput")
    public record AdminInput(
            @NotBlank @Email @Size(max = 320) String email,
            @Size(max = 100) String firstName,
            @Size(max = 100) String lastName,
            @Size(min = 12, max = 200, message = "Must be 12 to 200 characters.")
            @Schema(description = "Omit to receive an invitation token instead.") String password) {
    }

    @Schema(name = "PlatformTenant")
    public record TenantView(UUID id, String subdomain, String name, String tier, String defaultTimezone,
            String status, Instant createdAt) {
        public static TenantView of(Tenant t) {
            return new TenantView(t.id, t.subdomain, t.name, t.tier, t.defaultTimezone, t.status, t.createdAt);
        }
    }

    @Schema(name = "TenantAdmin")
    public record AdminView(UUID id, String email, String firstName, String lastName, String role, String status) {
        public static AdminView of(User u) {
            return new AdminView(u.id, u.email, u.firstName, u.lastName, u.role, u.status);
        }
    }

    @Schema(name = "ProvisionedTenant")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProvisionedTenant(TenantView tenant, AdminView admin,
            @Schema(description = "One-time invitation token for the admin, when no password was given.") String invitationToken) {
    }
}
