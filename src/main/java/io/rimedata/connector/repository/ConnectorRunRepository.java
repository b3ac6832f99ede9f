package io.rimedata.connector.repository;

import io.rimedata.connector.ConnectorRun;
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
public class ConnectorRunRepository extends TenantScopedRepository<ConnectorRun> {

    ConnectorRunRepository() {
        super(ConnectorRun.class);
    }

    /** The run, locked for the rest of the transaction. */
    public Uni<ConnectorRun> lock(TenantRef tenant, UUID runId) {
        return io.quarkus.hibernate.reactive.panache.Panache.getSession()
                .chain(s -> s.find(ConnectorRun.class, runId, org.hibernate.LockMode.PESSIMISTIC_WRITE))
                .map(run -> run != null && tenant.id().equals(run.tenantId) ? run : null);
    }

    public Uni<ConnectorRun> findOfConnector(TenantRef tenant, UUID connectorId, UUID runId) {
        return findOne(tenant, "connectorId = :connector and id = :id", Map.of("connector", connectorId, "id", runId));
    }

    /** Flags a running run for cancellation; false when it is not running. */
    public Uni<Boolean> requestCancel(TenantRef tenant, UUID runId) {
        return update(tenant, "cancelRequested = true", "id = :id and status = 'running'", Map.of("id", runId))
                .map(n -> n > 0);
    }

    /** Saves progress without touching the cancel flag another request may have just set. */
    public Uni<Void> saveProgress(TenantRef tenant, UUID runId, String tables, long totalRows) {
        return update(tenant, "tables = :tables, totalRows = :rows", "id = :id",
                Map.of("tables", tables, "rows", totalRows, "id", runId)).replaceWithVoid();
    }

    /** Hands a running sync's lease to someone else (an external runner) until the given time. */
    public Uni<Void> holdLease(TenantRef tenant, UUID runId, String owner, java.time.Instant until) {
        return update(tenant, "leaseOwner = :owner, leaseExpiresAt = :until", "id = :id and status = 'running'",
                Map.of("owner", owner, "until", until, "id", runId)).replaceWithVoid();
    }

    public Uni<Boolean> running(TenantRef tenant, UUID connectorId) {
        return count(tenant, "connectorId = :connector and status = 'running'", Map.of("connector", connectorId))
                .map(n -> n > 0);
    }

    /** The latest completed (or partially completed) run, whose cursors an incremental sync continues from. */
    public Uni<ConnectorRun> lastSuccessful(TenantRef tenant, UUID connectorId) {
        return list(tenant, "connectorId = :connector and status in ('completed', 'partially_failed')", "id desc",
                Map.of("connector", connectorId)).map(runs -> runs.isEmpty() ? null : runs.getFirst());
    }

    public Uni<List<ConnectorRun>> page(TenantRef tenant, UUID connectorId, String status, String trigger, PageRequest page) {
        StringBuilder where = new StringBuilder("connectorId = :connector");
        Map<String, Object> params = new HashMap<>(Map.of("connector", connectorId));
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
