package io.rimedata.pipeline.repository;

import io.rimedata.pipeline.PipelineVersion;
import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class PipelineVersionRepository extends TenantScopedRepository<PipelineVersion> {

    PipelineVersionRepository() {
        super(PipelineVersion.class);
    }

    public Uni<PipelineVersion> find(TenantRef tenant, UUID pipelineId, int number) {
        return findOne(tenant, "pipelineId = :pipeline and number = :number", Map.of("pipeline", pipelineId, "number", number));
    }

    /** The current version of each of the given pipelines, in one query. */
    public Uni<List<PipelineVersion>> currentOf(TenantRef tenant, List<UUID> pipelineIds) {
        if (pipelineIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list(tenant, "pipelineId in :ids and number = (select p.currentVersion from Pipeline p where p.id = pipelineId)",
                null, Map.of("ids", pipelineIds));
    }

    public Uni<List<PipelineVersion>> page(TenantRef tenant, UUID pipelineId, PageRequest page) {
        return page(tenant, "pipelineId = :pipeline", Map.of("pipeline", pipelineId), page);
    }
}
