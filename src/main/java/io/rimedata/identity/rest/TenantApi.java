package io.rimedata.identity.rest;

import io.rimedata.platform.validation.IanaTimeZone;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Records of {@code /tenant} (§2.4). */
public final class TenantApi {

    private TenantApi() {
    }

    @Schema(name = "Tenant")
    public record TenantView(String subdomain, String name, String tier, String defaultTimezone, Instant createdAt,
            @Schema(description = "Current counts of the capped resources.") Map<String, Long> usage,
            @Schema(description = "The tier's caps; null means unlimited.") Map<String, Integer> limits) {
    }

    @Schema(name = "UpdateTenant", description = "Merge semantics: absent fields are unchanged.")
    public record UpdateTenant(@Size(min = 1, max = 200) String name, @IanaTimeZone String defaultTimezone) {
    }
}
