package io.rimedata.connector;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A schedule fire claimed by one replica; unique per (connector, fire time). */
@Entity
@Table(name = "schedule_fires")
public class ScheduleFire extends TenantOwnedEntity {

    @Column(name = "connector_id", nullable = false, updatable = false)
    public UUID connectorId;

    @Column(name = "fire_time", nullable = false, updatable = false)
    public Instant fireTime;

    @Column(name = "run_id")
    public UUID runId;
}
