package io.rimedata.execution.repository;

import io.rimedata.execution.StepRun;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class StepRunRepository extends TenantScopedRepository<StepRun> {

    StepRunRepository() {
        super(StepRun.class);
    }

    /** Every step of a run in definition order. */
    public Uni<List<StepRun>> ofRun(TenantRef tenant, UUID runId) {
        return list(tenant, "runId = :run", "position", Map.of("run", runId));
    }

    public Uni<StepRun> find(TenantRef tenant, UUID runId, String key) {
        return findOne(tenant, "runId = :run and key = :key", Map.of("run", runId, "key", key));
    }
}
