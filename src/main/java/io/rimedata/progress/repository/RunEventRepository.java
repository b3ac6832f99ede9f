package io.rimedata.progress.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.progress.RunEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class RunEventRepository extends TenantScopedRepository<RunEvent> {

    RunEventRepository() {
        super(RunEvent.class);
    }

    public Uni<Long> lastSeq(TenantRef tenant, UUID runId) {
        return first(tenant, "runId = :run", "seq desc", Map.of("run", runId)).map(e -> e == null ? 0L : e.seq);
    }

    public Uni<List<RunEvent>> of(TenantRef tenant, UUID runId) {
        return list(tenant, "runId = :run", "seq", Map.of("run", runId));
    }

    /** Queues an insert to be flushed with the transaction's other events (one batch). */
    public Uni<Void> persistQueued(TenantRef tenant, RunEvent event) {
        event.tenantId = tenant.id();
        return Panache.getSession().chain(s -> s.persist(event));
    }

    /**
     * With {@code sinceSeq}: the events after it, oldest first (a poller's next batch). Otherwise newest first,
     * before {@code beforeSeq} when given. At most {@code limit + 1} rows, so the caller can tell whether more follow.
     */
    public Uni<List<RunEvent>> window(TenantRef tenant, UUID runId, Long sinceSeq, Long beforeSeq, int limit) {
        Map<String, Object> params = new HashMap<>(Map.of("run", runId));
        String where = "runId = :run";
        if (sinceSeq != null) {
            where += " and seq > :since";
            params.put("since", sinceSeq);
        }
        if (beforeSeq != null) {
            where += " and seq < :before";
            params.put("before", beforeSeq);
        }
        String order = sinceSeq != null ? "seq" : "seq desc";
        return list(tenant, where, order, params, limit + 1);
    }
}
