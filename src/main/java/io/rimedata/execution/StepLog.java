package io.rimedata.execution;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;

/** One line of a step's log; {@code line_no} counts from 1 per step and run. */
@Entity
@Table(name = "step_logs")
public class StepLog extends TenantOwnedEntity {

    @Column(name = "run_id", nullable = false, updatable = false)
    public UUID runId;

    @Column(name = "step_key", nullable = false, length = 64, updatable = false)
    public String stepKey;

    @Column(name = "line_no", nullable = false, updatable = false)
    public long lineNo;

    @Column(nullable = false, columnDefinition = "text", updatable = false)
    public String message;
}
