package io.rimedata.connector.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.rimedata.connector.Connector;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * The scheduler's one cross-tenant read: which connectors have a schedule at all. Everything it then does with a
 * connector goes through the tenant-scoped repositories, with the tenant taken from the row.
 */
@ApplicationScoped
public class ScheduledConnectors implements PanacheRepositoryBase<Connector, UUID> {

    public Uni<List<Connector>> withSchedules() {
        return list("schedule is not null and status = 'active'");
    }
}
