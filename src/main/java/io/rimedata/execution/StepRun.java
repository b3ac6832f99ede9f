package io.rimedata.execution;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A step's state within a run. The policy fields are copied from the run's version so that planning a run reads
 * one table; the step's config stays in the (immutable) version.
 */
@Entity
@Table(name = "pipeline_run_steps")
public class StepRun extends TenantOwnedEntity {

    @Column(name = "run_id", nullable = false, updatable = false)
    public UUID runId;

    @Column(nullable = false, updatable = false)
    public int position;

    @Column(nullable = false, length = 64, updatable = false)
    public String key;

    @Column(nullable = false, length = 200, updatable = false)
    public String name;

    @Column(nullable = false, length = 16, updatable = false)
    public String type;

    /** Upstream keys (JSON array). */
    @Column(name = "depends_on", nullable = false, columnDefinition = "text", updatable = false)
    public String dependsOn;

    @Column(name = "stop_on_failure", nullable = false, updatable = false)
    public boolean stopOnFailure;

    @Column(name = "max_attempts", nullable = false, updatable = false)
    public int maxAttempts;

    @Column(name = "backoff_seconds", nullable = false, updatable = false)
    public int backoffSeconds;

    @Column(name = "backoff_multiplier", nullable = false, updatable = false)
    public double backoffMultiplier;

    @Column(name = "timeout_seconds", nullable = false, updatable = false)
    public int timeoutSeconds;

    @Column(nullable = false, length = 16)
    public String status;

    @Column(nullable = false)
    public int attempt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "deadline_at")
    public Instant deadlineAt;

    /** The replica executing the current attempt. */
    @Column(name = "lease_owner", length = 100)
    public String leaseOwner;

    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;

    /** How often another replica took this step over after its lease ran out. */
    @Column(nullable = false)
    public int takeovers;

    /** {@code {current, total, unit}} (JSON), or null. */
    @Column(columnDefinition = "text")
    public String progress;

    @Column(columnDefinition = "text")
    public String error;

    /** What the executor reported (JSON object), or null. */
    @Column(columnDefinition = "text")
    public String output;

    /** The run whose success this step reused (retry runs). */
    @Column(name = "reused_from", updatable = false)
    public UUID reusedFrom;

    @Column(name = "log_lines", nullable = false)
    public long logLines;
}
