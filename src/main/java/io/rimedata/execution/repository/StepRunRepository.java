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

    /** The steps of several runs in one query, by run, in definition order. */
    public Uni<Map<UUID, List<StepRun>>> ofRuns(TenantRef tenant, List<UUID> runIds) {
        if (runIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return list(tenant, "runId in :runs", "runId, position", Map.of("runs", runIds))
                .map(rows -> rows.stream().collect(java.util.stream.Collectors.groupingBy(s -> s.runId)));
    }

    public Uni<StepRun> find(TenantRef tenant, UUID runId, String key) {
        return findOne(tenant, "runId = :run and key = :key", Map.of("run", runId, "key", key));
    }
}
