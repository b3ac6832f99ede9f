package io.rimedata.project.service;

import io.rimedata.identity.ProjectLookup;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.project.repository.ProjectRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class ProjectLookupImpl implements ProjectLookup {

    private final ProjectRepository projects;

    ProjectLookupImpl(ProjectRepository projects) {
        this.projects = projects;
    }

    @Override
    public Uni<Boolean> exists(TenantRef tenant, UUID projectId) {
        return projects.findById(tenant, projectId).map(p -> p != null);
    }
}
