package io.rimedata.pipeline;

import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.UUID;

/** What pipelines need of their runs; implemented by the execution context, which owns runs. */
public interface PipelineRuns {

    /** Whether a run of the pipeline is queued or running; within the caller's session. */
    Uni<Boolean> anyActive(TenantRef tenant, UUID pipelineId);

    /** Cancels every active run of the pipeline, in the caller's transaction. */
    Uni<Void> cancelActive(TenantRef tenant, UUID pipelineId);

    /**
     * Starts the run of a schedule fire under the schedule's concurrency policy ({@code skip} records a
     * {@code skipped} run, {@code queue} a {@code queued} one, {@code allow} starts it regardless); answers its id.
     */
    Uni<UUID> startScheduled(TenantRef tenant, UUID projectId, UUID pipelineId, Instant fireTime, String concurrencyPolicy);
}
