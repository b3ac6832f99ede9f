package io.rimedata.execution.step;

import com.fasterxml.jackson.databind.JsonNode;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.UUID;

/** One attempt of one step, as an executor sees it. {@code secret} is the step's opened secret, if it has one. */
public record StepTask(TenantRef tenant, UUID projectId, UUID pipelineId, UUID runId, UUID stepId, String key,
        String type, int attempt, JsonNode config, String secret, Duration timeout, Reporter report) {

    /** Writes to the run's event log while the attempt still owns the step; otherwise a no-op. */
    public interface Reporter {

        Uni<Void> log(String line);

        Uni<Void> progress(long current, Long total, String unit);
    }
}
