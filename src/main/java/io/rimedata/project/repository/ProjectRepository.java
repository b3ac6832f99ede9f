package io.rimedata.project.repository;

import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.project.Project;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class ProjectRepository extends TenantScopedRepository<Project> {

    ProjectRepository() {
        super(Project.class);
    }

    /** Whether another project of the tenant already has this name (case-insensitive). */
    public Uni<Boolean> nameTaken(TenantRef tenant, String name, UUID except) {
        return count(tenant, "lower(name) = lower(:name) and id <> :except",
                Map.of("name", name, "except", except == null ? new UUID(0, 0) : except)).map(n -> n > 0);
    }

    public Uni<Long> countAll(TenantRef tenant) {
        return count(tenant, null, Map.of());
    }

    public Uni<List<Project>> page(TenantRef tenant, PageRequest page) {
        return page(tenant, null, Map.of(), page);
    }
}
