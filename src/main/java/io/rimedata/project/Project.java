package io.rimedata.project;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;

/** A project: the container of connectors, infrastructure, transformations and pipelines. */
@Entity
@Table(name = "projects")
public class Project extends TenantOwnedEntity {

    @Column(nullable = false, length = 100)
    public String name;

    @Column(columnDefinition = "text")
    public String description;

    /** The non-secret settings as JSON. */
    @Column(nullable = false, columnDefinition = "text")
    public String settings;

    /** The secret settings as one sealed JSON object (AES-256-GCM, bound to tenant and project). */
    @Column(columnDefinition = "text")
    public String secrets;

    @Column(name = "created_by", updatable = false)
    public UUID createdBy;
}
