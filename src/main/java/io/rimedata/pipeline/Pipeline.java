package io.rimedata.pipeline;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;

/** A pipeline (§7.1): its name, description and schedule; its steps live in its versions. */
@Entity
@Table(name = "pipelines")
public class Pipeline extends TenantOwnedEntity {

    @Column(name = "project_id", nullable = false, updatable = false)
    public UUID projectId;

    @Column(nullable = false, length = 100)
    public String name;

    @Column(length = 2000)
    public String description;

    /** The schedule (JSON), or null. */
    @Column(columnDefinition = "text")
    public String schedule;

    /** The one version whose {@code is_current} is true. */
    @Column(name = "current_version", nullable = false)
    public int currentVersion;

    @Column(name = "created_by", updatable = false)
    public UUID createdBy;
}
