package io.rimedata.progress;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;

/** One entry of a run's event log; {@code seq} increases by exactly one per run. */
@Entity
@Table(name = "run_events")
public class RunEvent extends TenantOwnedEntity {

    @Column(name = "run_id", nullable = false, updatable = false)
    public UUID runId;

    @Column(nullable = false, updatable = false)
    public long seq;

    @Column(nullable = false, length = 32, updatable = false)
    public String type;

    @Column(nullable = false, columnDefinition = "text", updatable = false)
    public String payload;
}
