package io.rimedata.execution.repository;

import io.rimedata.execution.Runner;
import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class RunnerRepository extends TenantScopedRepository<Runner> {

    RunnerRepository() {
        super(Runner.class);
    }

    public Uni<Boolean> any(TenantRef tenant) {
        return count(tenant, null, java.util.Map.of()).map(n -> n > 0);
    }

    public Uni<Runner> findByHash(TenantRef tenant, String tokenHash) {
        return findOne(tenant, "tokenHash = :hash", Map.of("hash", tokenHash));
    }

    public Uni<List<Runner>> page(TenantRef tenant, PageRequest page) {
        return page(tenant, null, Map.of(), page);
    }
}
