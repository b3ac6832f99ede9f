package io.rimedata.connector.service;

import io.rimedata.connector.repository.ConnectorRepository;
import io.rimedata.identity.Limit;
import io.rimedata.identity.UsageCounter;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Connectors count against the tier's {@code connectors_per_project} cap. */
@ApplicationScoped
public class ConnectorUsage implements UsageCounter {

    private final ConnectorRepository connectors;

    ConnectorUsage(ConnectorRepository connectors) {
        this.connectors = connectors;
    }

    @Override
    public Limit limit() {
        return Limit.CONNECTORS_PER_PROJECT;
    }

    @Override
    public Uni<Long> count(TenantRef tenant, UUID projectId) {
        return connectors.countInProject(tenant, projectId);
    }
}
