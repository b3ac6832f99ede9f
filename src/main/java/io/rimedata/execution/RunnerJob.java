package io.rimedata.execution;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Work for an external runner: queued, leased for a while, then completed or failed. */
@Entity
@Table(name = "runner_jobs")
public class RunnerJob extends TenantOwnedEntity {

    /** What to do, e.g. {@code connector_sync}. */
    @Column(nullable = false, length = 32, updatable = false)
    public String kind;

    /** What it is about, e.g. the connector run it belongs to. */
    @Column(name = "subject_id", nullable = false, updatable = false)
    public UUID subjectId;

    /** What the runner needs (JSON); secrets are opened only when the job is leased. */
    @Column(nullable = false, columnDefinition = "text")
    public String payload;

    @Column(nullable = false, length = 16)
    public String status;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "max_attempts", nullable = false)
    public int maxAttempts;

    @Column(name = "runner_id")
    public UUID runnerId;

    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;

    @Column(name = "deadline_at", nullable = false)
    public Instant deadlineAt;

    @Column(columnDefinition = "text")
    public String result;

    @Column(columnDefinition = "text")
    public String error;
}
