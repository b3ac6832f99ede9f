package io.rimedata.connector;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One sync of a connector, with its per-table results. */
@Entity
@Table(name = "connector_runs")
public class ConnectorRun extends TenantOwnedEntity {

    @Column(name = "project_id", nullable = false, updatable = false)
    public UUID projectId;

    @Column(name = "connector_id", nullable = false, updatable = false)
    public UUID connectorId;

    @Column(nullable = false, length = 16, updatable = false)
    public String trigger;

    @Column(nullable = false, length = 20)
    public String status;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "total_rows", nullable = false)
    public long totalRows;

    /** Per-table results (JSON array). */
    @Column(nullable = false, columnDefinition = "text")
    public String tables;

    @Column(columnDefinition = "text")
    public String error;

    @Column(name = "cancel_requested", nullable = false)
    public boolean cancelRequested;

    /** The replica executing the sync, or {@code runner} while an external runner has it. */
    @Column(name = "lease_owner", length = 100)
    public String leaseOwner;

    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;
}
