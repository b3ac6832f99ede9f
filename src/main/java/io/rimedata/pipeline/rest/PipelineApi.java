package io.rimedata.pipeline.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rimedata.platform.schedule.ScheduleSpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Records of {@code /projects/{id}/pipelines} (§7.1). */
public final class PipelineApi {

    public static final String STEP_TYPES = "extract|transform|validate|infrastructure|webhook|wait";
    /** Largest pipeline accepted; planning and the run view stay cheap well beyond it. */
    public static final int MAX_STEPS = 1000;

    private PipelineApi() {
    }

    @Schema(name = "PipelineInput", description = "A pipeline as written by POST, and the document a PATCH merge patch applies to.")
    public record PipelineInput(
            @NotBlank @Size(max = 100) String name,
            @Size(max = 2000) String description,
            @NotNull @Size(min = 1, max = MAX_STEPS) List<@NotNull @Valid Step> steps,
            @Valid ScheduleSpec schedule) {
    }

    @Schema(name = "PipelineStep")
    public record Step(
            @NotNull @Pattern(regexp = "[a-z0-9_]{1,64}", message = "Must match [a-z0-9_]{1,64}.") String key,
            @Size(max = 200) @Schema(description = "Default: the key.") String name,
            @NotNull @Pattern(regexp = STEP_TYPES, message = "Must be one of extract, transform, validate, infrastructure, webhook, wait.")
            @Schema(enumeration = { "extract", "transform", "validate", "infrastructure", "webhook", "wait" }) String type,
            @Schema(type = SchemaType.OBJECT, description = "Per type (§7.1); `webhook.signing_secret` is write-only and "
                    + "shows as `{\"set\": true}`; sending that object back keeps the stored secret.") JsonNode config,
            @Size(max = MAX_STEPS) List<@NotNull String> dependsOn,
            @Min(1) @Max(86_400) @Schema(description = "Default 3600.") Integer timeoutSeconds,
            @Valid Retry retry,
            @Pattern(regexp = "stop|continue", message = "Must be stop or continue.")
            @Schema(enumeration = { "stop", "continue" }, description = "Default stop.") String onFailure) {
    }

    @Schema(name = "PipelineStepRetry", description = "Attempt n waits backoff_seconds × backoff_multiplier^(n-2) after attempt n-1 failed.")
    public record Retry(
            @Min(1) @Max(10) @Schema(description = "Default 1 (no retry).") Integer maxAttempts,
            @Min(0) @Max(3600) @Schema(description = "Default 30.") Integer backoffSeconds,
            @DecimalMin("1.0") @DecimalMax("10.0") @Schema(description = "Default 2.") Double backoffMultiplier) {
    }

    @Schema(name = "Pipeline")
    public record PipelineView(UUID id, UUID projectId, String name, @Schema(nullable = true) String description,
            List<Step> steps, @Schema(nullable = true) ScheduleSpec schedule, int currentVersion, UUID createdBy,
            Instant createdAt, Instant updatedAt) {
    }

    @Schema(name = "PipelineVersion")
    public record VersionView(int number, boolean isCurrent, List<Step> steps, UUID createdBy, Instant createdAt) {
    }

    @Schema(name = "PipelineVersionSummary")
    public record VersionSummary(int number, boolean isCurrent, int stepCount, UUID createdBy, Instant createdAt) {
    }

    @Schema(name = "PipelineNextFireTimes")
    public record NextFires(String timezone, List<Instant> next) {
    }
}
