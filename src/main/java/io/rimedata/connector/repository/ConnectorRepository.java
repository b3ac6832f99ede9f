package io.rimedata.connector.repository;

import io.rimedata.connector.Connector;
import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class ConnectorRepository extends TenantScopedRepository<Connector> {

    ConnectorRepository() {
        super(Connector.class);
    }

    public Uni<Connector> findInProject(TenantRef tenant, UUID projectId, UUID id) {
        return findOne(tenant, "projectId = :project and id = :id", Map.of("project", projectId, "id", id));
    }

    public Uni<Boolean> nameTaken(TenantRef tenant, UUID projectId, String name, UUID except) {
        return count(tenant, "projectId = :project and lower(name) = lower(:name) and id <> :except",
                Map.of("project", projectId, "name", name, "except", except == null ? new UUID(0, 0) : except))
                .map(n -> n > 0);
    }

    public Uni<List<Connector>> listInProject(TenantRef tenant, UUID projectId, java.util.Collection<UUID> ids) {
        return list(tenant, "projectId = :project and id in :ids", "id", Map.of("project", projectId, "ids", ids));
    }

    public Uni<Long> countInProject(TenantRef tenant, UUID projectId) {
        return count(tenant, "projectId = :project", Map.of("project", projectId));
    }

    public Uni<List<Connector>> page(TenantRef tenant, UUID projectId, String type, String status, PageRequest page) {
        StringBuilder where = new StringBuilder("projectId = :project");
        Map<String, Object> params = new HashMap<>(Map.of("project", projectId));
        if (type != null) {
            where.append(" and type = :type");
            params.put("type", type);
        }
        if (status != null) {
            where.append(" and status = :status");
            params.put("status", status);
        }
        return page(tenant, where.toString(), params, page);
    }
}
