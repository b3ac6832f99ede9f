package io.rimedata.pipeline;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;

/** One immutable version of a pipeline's steps (JSON, secrets sealed). */
@Entity
@Table(name = "pipeline_versions")
public class PipelineVersion extends TenantOwnedEntity {

    @Column(name = "pipeline_id", nullable = false, updatable = false)
    public UUID pipelineId;

    @Column(nullable = false, updatable = false)
    public int number;

    @Column(nullable = false, columnDefinition = "text", updatable = false)
    public String steps;

    @Column(name = "created_by", updatable = false)
    public UUID createdBy;
}
