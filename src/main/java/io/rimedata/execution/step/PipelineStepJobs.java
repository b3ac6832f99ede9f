package io.rimedata.execution.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.execution.RunnerJob;
import io.rimedata.execution.RunnerJobHandler;
import io.rimedata.execution.orchestrator.Orchestrator;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** What a runner's report on a pipeline step means: the step succeeds with the result, or fails (and may retry). */
@ApplicationScoped
public class PipelineStepJobs implements RunnerJobHandler {

    private final Orchestrator orchestrator;
    private final ObjectMapper json;

    PipelineStepJobs(Orchestrator orchestrator, ObjectMapper json) {
        this.orchestrator = orchestrator;
        this.json = json;
    }

    @Override
    public String kind() {
        return RunnerStepExecutor.KIND;
    }

    @Override
    public Uni<ObjectNode> leasePayload(TenantRef tenant, RunnerJob job) {
        return Uni.createFrom().item(read(job.payload));
    }

    @Override
    public Uni<Void> completed(TenantRef tenant, RunnerJob job, JsonNode result) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> failed(TenantRef tenant, RunnerJob job, String error) {
        return Uni.createFrom().voidItem();
    }

    /** The step's transition runs once the job's state is committed, under the run's own lock. */
    @Override
    public Uni<Void> afterCommit(TenantRef tenant, RunnerJob job) {
        ObjectNode payload = read(job.payload);
        StepOutcome outcome;
        if ("completed".equals(job.status)) {
            JsonNode result = job.result == null ? null : read(job.result);
            ObjectNode output = json.createObjectNode().put("runner_job_id", job.id.toString());
            if (result != null) {
                output.set("result", result);
            }
            outcome = StepOutcome.success(output);
        } else {
            outcome = StepOutcome.failure(job.error);
        }
        return orchestrator.settleFromRunner(tenant, UUID.fromString(payload.path("run_id").asText()),
                payload.path("step_key").asText(), payload.path("attempt").asInt(), outcome);
    }

    private ObjectNode read(String text) {
        try {
            return (ObjectNode) json.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException("Unreadable runner job payload", e);
        }
    }
}
