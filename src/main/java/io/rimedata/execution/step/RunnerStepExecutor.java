package io.rimedata.execution.step;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.execution.RunnerConfig;
import io.rimedata.execution.service.RunnerJobs;
import io.rimedata.platform.persistence.DatabaseScope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Set;

/**
 * {@code transform} and {@code infrastructure} (and {@code validate} by transformation tests): work for systems this
 * server cannot reach, queued as a runner job. The step stays running until the runner reports, or fails when no
 * runner finishes the job before its deadline ({@link PipelineStepJobs}).
 */
@ApplicationScoped
public class RunnerStepExecutor implements StepExecutor {

    public static final String KIND = "pipeline_step";

    private final RunnerJobs jobs;
    private final RunnerConfig config;
    private final ObjectMapper json;

    RunnerStepExecutor(RunnerJobs jobs, RunnerConfig config, ObjectMapper json) {
        this.jobs = jobs;
        this.config = config;
        this.json = json;
    }

    @Override
    public Set<String> types() {
        return Set.of("transform", "infrastructure");
    }

    @Override
    public Uni<StepOutcome> execute(StepTask task) {
        ObjectNode payload = json.createObjectNode()
                .put("pipeline_id", task.pipelineId().toString())
                .put("run_id", task.runId().toString())
                .put("step_key", task.key())
                .put("step_type", task.type())
                .put("attempt", task.attempt());
        payload.set("config", task.config());
        Instant holdUntil = Instant.now().plus(config.jobDeadline());
        return DatabaseScope.transaction(task.tenant(), () -> jobs.enqueue(task.tenant(), KIND, task.runId(), payload))
                .call(jobId -> task.report().log("Queued runner job " + jobId + "; waiting for a runner."))
                .map(jobId -> StepOutcome.detached(json.createObjectNode().put("runner_job_id", jobId.toString()), holdUntil));
    }
}
