package io.rimedata.execution.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rimedata.execution.PipelineRun;
import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.LockMode;

@ApplicationScoped
public class PipelineRunRepository extends TenantScopedRepository<PipelineRun> {

    PipelineRunRepository() {
        super(PipelineRun.class);
    }

    /** The run, locked for the rest of the transaction: every transition of a run goes through this lock. */
    public Uni<PipelineRun> lock(TenantRef tenant, UUID runId) {
        return Panache.getSession().chain(s -> s.find(PipelineRun.class, runId, LockMode.PESSIMISTIC_WRITE))
                .map(run -> run != null && tenant.id().equals(run.tenantId) ? run : null);
    }

    public Uni<PipelineRun> findOfPipeline(TenantRef tenant, UUID pipelineId, UUID runId) {
        return findOne(tenant, "pipelineId = :pipeline and id = :id", Map.of("pipeline", pipelineId, "id", runId));
    }

    public Uni<List<PipelineRun>> active(TenantRef tenant, UUID pipelineId) {
        return list(tenant, "pipelineId = :pipeline and status in ('queued', 'running')", "id", Map.of("pipeline", pipelineId));
    }

    public Uni<Boolean> anyRunning(TenantRef tenant, UUID pipelineId) {
        return count(tenant, "pipelineId = :pipeline and status = 'running'", Map.of("pipeline", pipelineId)).map(n -> n > 0);
    }

    public Uni<PipelineRun> oldestQueued(TenantRef tenant, UUID pipelineId) {
        return first(tenant, "pipelineId = :pipeline and status = 'queued'", "id", Map.of("pipeline", pipelineId));
    }

    public Uni<List<PipelineRun>> page(TenantRef tenant, UUID pipelineId, String status, String trigger, PageRequest page) {
        StringBuilder where = new StringBuilder("pipelineId = :pipeline");
        Map<String, Object> params = new HashMap<>(Map.of("pipeline", pipelineId));
        if (status != null) {
            where.append(" and status = :status");
            params.put("status", status);
        }
        if (trigger != null) {
            where.append(" and trigger = :trigger");
            params.put("trigger", trigger);
        }
        return page(tenant, where.toString(), params, page);
    }
}
