package io.rimedata.execution.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Records of {@code /projects/{id}/pipelines/{pipelineId}/runs} (§7.2). */
public final class PipelineRunApi {

    private PipelineRunApi() {
    }

    @Schema(name = "PipelineRun")
    public record RunView(UUID id, UUID pipelineId, int version,
            @Schema(enumeration = { "scheduled", "manual", "retry" }) String trigger,
            @Schema(enumeration = { "queued", "running", "succeeded", "failed", "cancelled", "skipped" }) String status,
            @Schema(nullable = true) UUID retryOf, @Schema(nullable = true) Instant fireTime,
            @Schema(nullable = true) Instant startedAt, @Schema(nullable = true) Instant finishedAt,
            @Schema(nullable = true) Long durationMs, @Schema(nullable = true) String error,
            @Schema(description = "The position of the run's latest event; a watcher resumes after it.") long lastSeq,
            List<StepView> steps, Counts counts, Instant createdAt) {
    }

    @Schema(name = "PipelineRunStep")
    public record StepView(String key, String name, String type,
            @Schema(enumeration = { "pending", "running", "retrying", "succeeded", "failed", "skipped", "cancelled" }) String status,
            int attempt, int maxAttempts, List<String> dependsOn, @Schema(nullable = true) Instant startedAt,
            @Schema(nullable = true) Instant finishedAt, @Schema(nullable = true) Instant nextAttemptAt,
            @Schema(nullable = true) Progress progress, @Schema(nullable = true) String error,
            @Schema(nullable = true, type = SchemaType.OBJECT, description = "What the step reported: webhook status "
                    + "code and latency, connector run id and rows, check results, runner result.") JsonNode output,
            @Schema(nullable = true, description = "The run whose success this step reuses (retry runs).") UUID reusedFrom) {
    }

    @Schema(name = "PipelineRunStepProgress")
    public record Progress(long current, @Schema(nullable = true) Long total, String unit) {
    }

    @Schema(name = "PipelineRunCounts", description = "Steps by state; `retrying` steps count as running.")
    public record Counts(int pending, int running, int succeeded, int failed, int skipped, int cancelled) {
    }

    @Schema(name = "RunEventPage", description = "Events as the WebSocket sends them: `{seq, type, occurred_at, …}`.")
    public record EventPage(@Schema(type = SchemaType.ARRAY, implementation = ObjectNode.class) List<ObjectNode> data,
            @Schema(nullable = true) String nextCursor, boolean hasMore) {
    }

    @Schema(name = "StepLogLine")
    public record LogLine(long line, Instant at, String message) {
    }

    @Schema(name = "StepLogPage", description = "Fetch again with `next_cursor` for lines written since; `complete` "
            + "is true once the step has ended and every line has been returned.")
    public record LogPage(List<LogLine> data, String nextCursor, boolean hasMore, boolean complete) {
    }
}
