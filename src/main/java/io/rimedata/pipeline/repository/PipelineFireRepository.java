package io.rimedata.pipeline.repository;

import io.rimedata.pipeline.PipelineScheduleFire;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class PipelineFireRepository extends TenantScopedRepository<PipelineScheduleFire> {

    PipelineFireRepository() {
        super(PipelineScheduleFire.class);
    }

    /** The latest fire already claimed for a pipeline, or null. */
    public Uni<Instant> lastFire(TenantRef tenant, UUID pipelineId) {
        return first(tenant, "pipelineId = :pipeline", "fireTime desc", Map.of("pipeline", pipelineId)).map(fire -> fire == null ? null : fire.fireTime);
    }
}
