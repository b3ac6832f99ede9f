package io.rimedata.pipeline.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.rimedata.pipeline.Pipeline;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * The pipeline scheduler's one cross-tenant read: which pipelines have a schedule at all. Everything it then does
 * with a pipeline goes through the tenant-scoped repositories, with the tenant taken from the row.
 */
@ApplicationScoped
public class ScheduledPipelines implements PanacheRepositoryBase<Pipeline, UUID> {

    public Uni<List<Pipeline>> withSchedules() {
        return list("schedule is not null");
    }
}
