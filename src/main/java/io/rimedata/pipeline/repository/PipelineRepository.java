package io.rimedata.pipeline.repository;

import io.rimedata.pipeline.Pipeline;
import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class PipelineRepository extends TenantScopedRepository<Pipeline> {

    PipelineRepository() {
        super(Pipeline.class);
    }

    public Uni<Pipeline> findInProject(TenantRef tenant, UUID projectId, UUID id) {
        return findOne(tenant, "projectId = :project and id = :id", Map.of("project", projectId, "id", id));
    }

    public Uni<Boolean> nameTaken(TenantRef tenant, UUID projectId, String name, UUID except) {
        return count(tenant, "projectId = :project and lower(name) = lower(:name) and id <> :except",
                Map.of("project", projectId, "name", name, "except", except == null ? new UUID(0, 0) : except))
                .map(n -> n > 0);
    }

    public Uni<Long> countInProject(TenantRef tenant, UUID projectId) {
        return count(tenant, "projectId = :project", Map.of("project", projectId));
    }

    public Uni<List<Pipeline>> page(TenantRef tenant, UUID projectId, PageRequest page) {
        return page(tenant, "projectId = :project", Map.of("project", projectId), page);
    }
}
