package io.rimedata.connector;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/** The last schema discovered for a connector; shares the connector's id. */
@Entity
@Table(name = "connector_schemas")
public class ConnectorSchema extends TenantOwnedEntity {

    @Column(name = "discovered_at", nullable = false)
    public Instant discoveredAt;

    /** Tables → columns (JSON). */
    @Column(nullable = false, columnDefinition = "text")
    public String tables;
}
