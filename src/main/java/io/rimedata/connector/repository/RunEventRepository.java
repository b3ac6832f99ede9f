package io.rimedata.connector.repository;

import io.rimedata.connector.RunEvent;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class RunEventRepository extends TenantScopedRepository<RunEvent> {

    RunEventRepository() {
        super(RunEvent.class);
    }

    public Uni<Long> lastSeq(TenantRef tenant, UUID runId) {
        return list(tenant, "runId = :run", "seq desc", Map.of("run", runId))
                .map(events -> events.isEmpty() ? 0L : events.getFirst().seq);
    }

    public Uni<List<RunEvent>> of(TenantRef tenant, UUID runId) {
        return list(tenant, "runId = :run", "seq", Map.of("run", runId));
    }
}
