package io.rimedata.execution.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The orchestrator sweep's cross-tenant reads: which runs have work no replica is doing (expired leases, steps past
 * their deadline, retries due, queued runs with nothing running). Each answer carries the tenant, and everything
 * done about it goes through the tenant-scoped repositories. Also the lease renewal of this replica's own steps.
 */
@ApplicationScoped
public class ExecutionSweeps {

    public record RunRef(UUID tenantId, UUID runId) {
    }

    public Uni<List<RunRef>> runsNeedingAttention(Instant now, int limit) {
        return Panache.getSession().chain(s -> s.createSelectionQuery("""
                select distinct s.tenantId, s.runId from StepRun s
                where (s.status = 'running' and (s.leaseExpiresAt < :now or s.deadlineAt < :now))
                   or (s.status = 'retrying' and s.nextAttemptAt <= :now)""", Object[].class)
                .setParameter("now", now).setMaxResults(limit).getResultList())
                .map(rows -> rows.stream().map(r -> new RunRef((UUID) r[0], (UUID) r[1])).toList());
    }

    /** The oldest queued run of each pipeline that has nothing running. */
    public Uni<List<RunRef>> startableQueuedRuns(int limit) {
        return Panache.getSession().chain(s -> s.createSelectionQuery("""
                select r.tenantId, r.id from PipelineRun r
                where r.status = 'queued'
                  and not exists (select 1 from PipelineRun x where x.pipelineId = r.pipelineId and x.status = 'running')
                  and not exists (select 1 from PipelineRun y where y.pipelineId = r.pipelineId and y.status = 'queued' and y.id < r.id)""",
                Object[].class).setMaxResults(limit).getResultList())
                .map(rows -> rows.stream().map(r -> new RunRef((UUID) r[0], (UUID) r[1])).toList());
    }

    /** Extends the leases of the steps this replica is executing; answers the ids it no longer owns. */
    public Uni<List<UUID>> renew(String owner, List<UUID> stepIds, Instant expiresAt) {
        return Panache.getSession().chain(s -> s.createMutationQuery("""
                update StepRun set leaseExpiresAt = :expires
                where id in :ids and status = 'running' and leaseOwner = :owner""")
                .setParameter("expires", expiresAt).setParameter("ids", stepIds).setParameter("owner", owner)
                .executeUpdate()
                .chain(() -> s.createSelectionQuery("""
                        select s.id from StepRun s where s.id in :ids and s.status = 'running' and s.leaseOwner = :owner""",
                        UUID.class).setParameter("ids", stepIds).setParameter("owner", owner).getResultList()))
                .map(owned -> stepIds.stream().filter(id -> !owned.contains(id)).toList());
    }

    /** Hands this replica's leases back (expired now), for another replica's sweep to take the steps over. */
    public Uni<Integer> release(String owner, List<UUID> stepIds, Instant now) {
        return Panache.getSession().chain(s -> s.createMutationQuery("""
                update StepRun set leaseExpiresAt = :now
                where id in :ids and status = 'running' and leaseOwner = :owner""")
                .setParameter("now", now).setParameter("ids", stepIds).setParameter("owner", owner).executeUpdate());
    }
}
