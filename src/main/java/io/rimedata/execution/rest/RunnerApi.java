package io.rimedata.execution.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.rimedata.execution.Runner;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Records of the runner API (§7.4). */
public final class RunnerApi {

    private RunnerApi() {
    }

    @Schema(name = "CreateRunner")
    public record CreateRunner(@NotBlank @Size(max = 100) String name) {
    }

    @Schema(name = "Runner")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunnerView(UUID id, String name, String prefix, Instant createdAt, Instant lastSeenAt,
            @Schema(description = "The runner's token (`rnr_…`): present only in the response that created it.") String token) {
        public static RunnerView of(Runner r, String token) {
            return new RunnerView(r.id, r.name, r.prefix, r.createdAt, r.lastSeenAt, token);
        }
    }

    @Schema(name = "LeasedJob")
    public record LeasedJob(UUID id, String kind, int attempt, Instant leaseExpiresAt, Instant deadlineAt,
            @Schema(type = SchemaType.OBJECT) JsonNode payload) {
    }

    @Schema(name = "JobCompletion")
    public record Completion(@NotNull @Schema(type = SchemaType.OBJECT) JsonNode result) {
    }

    @Schema(name = "JobFailure")
    public record Failure(@NotBlank @Size(max = 4000) String error) {
    }

    @Schema(name = "JobLease")
    public record Lease(Instant leaseExpiresAt) {
    }
}
