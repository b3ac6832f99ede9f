package io.rimedata.pipeline;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One schedule fire of a pipeline: the unique {@code (pipeline, fire time)} row makes it start exactly one run. */
@Entity
@Table(name = "pipeline_schedule_fires")
public class PipelineScheduleFire extends TenantOwnedEntity {

    @Column(name = "pipeline_id", nullable = false, updatable = false)
    public UUID pipelineId;

    @Column(name = "fire_time", nullable = false, updatable = false)
    public Instant fireTime;

    @Column(name = "run_id")
    public UUID runId;
}
