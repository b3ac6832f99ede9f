package io.rimedata.audit.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rimedata.audit.AuditOutboxEntry;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class AuditOutboxRepository extends TenantScopedRepository<AuditOutboxEntry> {

    /**
     * Oldest first, skipping rows another relay holds, so replicas share the work without waiting on each other; the
     * rows stay locked until the claiming transaction ends.
     */
    private static final String CLAIM = "select * from audit_outbox where attempts < :maxAttempts"
            + " order by id limit :limit for update skip locked";

    AuditOutboxRepository() {
        super(AuditOutboxEntry.class);
    }

    /**
     * The relay's claim on the oldest pending entries of every tenant: the one query of this repository without a
     * tenant, since the relay serves them all. Each row carries its tenant, and everything done with it afterwards
     * goes through the tenant-scoped methods. Runs inside the relay's transaction.
     */
    public Uni<List<AuditOutboxEntry>> claimOldest(int limit, int maxAttempts) {
        return Panache.getSession().chain(s -> s.createNativeQuery(CLAIM, AuditOutboxEntry.class)
                .setParameter("maxAttempts", maxAttempts)
                .setParameter("limit", limit)
                .getResultList());
    }
}
