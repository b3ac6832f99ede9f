package io.rimedata.execution;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One run of a pipeline (§7.2). Every transition locks this row first, which also numbers the run's events. */
@Entity
@Table(name = "pipeline_runs")
public class PipelineRun extends TenantOwnedEntity {

    @Column(name = "project_id", nullable = false, updatable = false)
    public UUID projectId;

    @Column(name = "pipeline_id", nullable = false, updatable = false)
    public UUID pipelineId;

    @Column(name = "pipeline_version", nullable = false, updatable = false)
    public int pipelineVersion;

    @Column(nullable = false, length = 16, updatable = false)
    public String trigger;

    @Column(nullable = false, length = 16)
    public String status;

    @Column(name = "retry_of", updatable = false)
    public UUID retryOf;

    @Column(name = "fire_time", updatable = false)
    public Instant fireTime;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "last_seq", nullable = false)
    public long lastSeq;

    @Column(columnDefinition = "text")
    public String error;

    public boolean isActive() {
        return "queued".equals(status) || "running".equals(status);
    }
}
