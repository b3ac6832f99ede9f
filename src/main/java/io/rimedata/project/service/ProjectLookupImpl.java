package io.rimedata.project.service;

import io.rimedata.identity.ProjectLookup;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.platform.persistence.JsonText;
import io.rimedata.project.repository.ProjectRepository;
import io.rimedata.project.rest.ProjectApi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class ProjectLookupImpl implements ProjectLookup {

    private final ProjectRepository projects;
    private final JsonText text;

    ProjectLookupImpl(ProjectRepository projects, JsonText text) {
        this.projects = projects;
        this.text = text;
    }

    @Override
    public Uni<String> defaultTimezone(TenantRef tenant, UUID projectId) {
        return projects.findById(tenant, projectId).map(p -> p == null ? null
                : text.read(p.settings, ProjectApi.SettingsInput.class).defaultTimezone());
    }

    @Override
    public Uni<Boolean> exists(TenantRef tenant, UUID projectId) {
        return projects.findById(tenant, projectId).map(p -> p != null);
    }
}
