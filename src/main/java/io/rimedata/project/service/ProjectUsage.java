package io.rimedata.project.service;

import io.rimedata.identity.Limit;
import io.rimedata.identity.UsageCounter;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.project.repository.ProjectRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Projects count against the tier's {@code projects} cap. */
@ApplicationScoped
public class ProjectUsage implements UsageCounter {

    private final ProjectRepository projects;

    ProjectUsage(ProjectRepository projects) {
        this.projects = projects;
    }

    @Override
    public Limit limit() {
        return Limit.PROJECTS;
    }

    @Override
    public Uni<Long> count(TenantRef tenant, UUID projectId) {
        return projects.countAll(tenant);
    }
}
