package io.rimedata.pipeline.service;

import io.rimedata.pipeline.repository.PipelineRepository;
import io.rimedata.identity.Limit;
import io.rimedata.identity.UsageCounter;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Pipelines count against the tier's {@code pipelines_per_project} cap. */
@ApplicationScoped
public class PipelineUsage implements UsageCounter {

    private final PipelineRepository pipelines;

    PipelineUsage(PipelineRepository pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public Limit limit() {
        return Limit.PIPELINES_PER_PROJECT;
    }

    @Override
    public Uni<Long> count(TenantRef tenant, UUID projectId) {
        return pipelines.countInProject(tenant, projectId);
    }
}
