package io.rimedata.execution.repository;

import io.rimedata.execution.StepLog;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class StepLogRepository extends TenantScopedRepository<StepLog> {

    StepLogRepository() {
        super(StepLog.class);
    }

    /** Lines after {@code afterLine}, oldest first, at most {@code limit + 1} of them. */
    public Uni<List<StepLog>> after(TenantRef tenant, UUID runId, String stepKey, long afterLine, int limit) {
        return list(tenant, "runId = :run and stepKey = :key and lineNo > :after", "lineNo",
                Map.of("run", runId, "key", stepKey, "after", afterLine), limit + 1);
    }
}
