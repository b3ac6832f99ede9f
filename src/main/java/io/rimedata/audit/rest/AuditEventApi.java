package io.rimedata.audit.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Records of the audit-events API (§10). Every field is always present, null when it does not apply. */
public final class AuditEventApi {

    private AuditEventApi() {
    }

    @Schema(name = "AuditEvent")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record AuditEventView(
            @Schema(description = "UUIDv7; newer entries have greater ids.") UUID id,
            Instant occurredAt,
            AuditActorView actor,
            @Schema(enumeration = { "auth", "resource", "governance" }) String category,
            @Schema(examples = "resource.modified") String action,
            @Schema(nullable = true) AuditResourceView resource,
            @Schema(nullable = true) UUID projectId,
            @Schema(type = SchemaType.OBJECT, nullable = true,
                    description = "Before and after of each changed field, by dotted path; secrets show as \"[redacted]\".",
                    examples = "{\"settings.snowflake.account\": {\"before\": \"xy123\", \"after\": \"xy456\"}, "
                            + "\"settings.snowflake.password\": {\"before\": \"[redacted]\", \"after\": \"[redacted]\"}}")
            JsonNode changes,
            @Schema(nullable = true, examples = "203.0.113.7") String sourceIp,
            @Schema(nullable = true, examples = "req_01JDZ3Q8W6G5V9M2K7T4N1B0XC") String requestId,
            @Schema(enumeration = { "success", "failure" }) String outcome) {
    }

    @Schema(name = "AuditActor")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record AuditActorView(
            @Schema(enumeration = { "user", "api_key", "system", "operator" }) String type,
            @Schema(nullable = true) UUID id,
            @Schema(nullable = true) String email) {
    }

    @Schema(name = "AuditResource")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record AuditResourceView(
            @Schema(examples = "project") String type,
            @Schema(nullable = true) String id,
            @Schema(nullable = true) String name) {
    }
}
