package io.rimedata.connector.repository;

import io.rimedata.connector.ScheduleFire;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class ScheduleFireRepository extends TenantScopedRepository<ScheduleFire> {

    ScheduleFireRepository() {
        super(ScheduleFire.class);
    }

    /** The latest fire already claimed for a connector, or null. */
    public Uni<Instant> lastFire(TenantRef tenant, UUID connectorId) {
        return first(tenant, "connectorId = :connector", "fireTime desc", Map.of("connector", connectorId)).map(fire -> fire == null ? null : fire.fireTime);
    }
}
