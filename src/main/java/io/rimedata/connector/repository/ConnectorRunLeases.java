package io.rimedata.connector.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Cross-tenant lease bookkeeping of syncs: renewing this replica's own runs (by id) and finding runs whose lease ran
 * out. Ending such a run goes through the tenant-scoped repositories with the tenant from the row.
 */
@ApplicationScoped
public class ConnectorRunLeases {

    public record Expired(UUID tenantId, UUID runId) {
    }

    public Uni<Integer> renew(String owner, List<UUID> runIds, Instant expiresAt) {
        return Panache.getSession().chain(s -> s.createMutationQuery("""
                update ConnectorRun set leaseExpiresAt = :expires
                where id in :ids and status = 'running' and leaseOwner = :owner""")
                .setParameter("expires", expiresAt).setParameter("ids", runIds).setParameter("owner", owner)
                .executeUpdate());
    }

    public Uni<List<Expired>> expired(Instant now, int limit) {
        return Panache.getSession().chain(s -> s.createSelectionQuery("""
                select r.tenantId, r.id from ConnectorRun r
                where r.status = 'running' and r.leaseExpiresAt < :now""", Object[].class)
                .setParameter("now", now).setMaxResults(limit).getResultList())
                .map(rows -> rows.stream().map(r -> new Expired((UUID) r[0], (UUID) r[1])).toList());
    }
}
