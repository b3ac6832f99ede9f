package io.rimedata.execution.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rimedata.execution.RunnerJob;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class RunnerJobRepository extends TenantScopedRepository<RunnerJob> {

    /** The oldest job a runner may take: queued, or leased by a runner that stopped renewing; others are skipped. */
    private static final String CLAIM = "select * from runner_jobs where tenant_id = :tenant and attempts < max_attempts"
            + " and deadline_at > :now and (status = 'queued' or (status = 'leased' and lease_expires_at < :now))"
            + " order by id limit 1 for update skip locked";

    RunnerJobRepository() {
        super(RunnerJob.class);
    }

    /** Locks the next available job of the tenant until the caller's transaction ends; null when there is none. */
    public Uni<RunnerJob> claimNext(TenantRef tenant, Instant now) {
        return Panache.getSession().chain(s -> s.createNativeQuery(CLAIM, RunnerJob.class)
                .setParameter("tenant", tenant.id())
                .setParameter("now", now)
                .getResultList())
                .map(rows -> rows.isEmpty() ? null : rows.getFirst());
    }

    /**
     * The sweeper's one cross-tenant read: which tenants have open jobs. Everything it then does goes through the
     * tenant-scoped methods.
     */
    public Uni<List<UUID>> tenantsWithOpenJobs() {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "select distinct tenant_id from runner_jobs where status in ('queued', 'leased')", UUID.class).getResultList());
    }

    public Uni<RunnerJob> findLeasedBy(TenantRef tenant, UUID jobId, UUID runnerId) {
        return findOne(tenant, "id = :id and runnerId = :runner and status = 'leased'", Map.of("id", jobId, "runner", runnerId));
    }

    /** Jobs that can no longer be done: their deadline passed, or their leases ran out too often. */
    public Uni<List<RunnerJob>> hopeless(TenantRef tenant, Instant now) {
        return list(tenant, "status in ('queued', 'leased') and (deadlineAt <= :now or (attempts >= maxAttempts"
                + " and (status = 'queued' or leaseExpiresAt < :now)))", "id", Map.of("now", now));
    }
}
