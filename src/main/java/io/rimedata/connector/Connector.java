package io.rimedata.connector;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;

/** A configured source of data in a project. */
@Entity
@Table(name = "connectors")
public class Connector extends TenantOwnedEntity {

    @Column(name = "project_id", nullable = false, updatable = false)
    public UUID projectId;

    @Column(nullable = false, length = 100)
    public String name;

    @Column(nullable = false, length = 32, updatable = false)
    public String type;

    /** Non-secret configuration (JSON), with defaults applied. */
    @Column(nullable = false, columnDefinition = "text")
    public String config;

    /** Secret configuration values by path, as one sealed JSON object. */
    @Column(columnDefinition = "text")
    public String secrets;

    /** Table selection (JSON array). */
    @Column(nullable = false, columnDefinition = "text")
    public String tables;

    /** Schedule (JSON) or null. */
    @Column(columnDefinition = "text")
    public String schedule;

    @Column(nullable = false, length = 16)
    public String status;

    @Column(name = "created_by", updatable = false)
    public UUID createdBy;
}
