package io.rimedata.audit;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One entry of a tenant's audit log (§10), as the relay stored it; never changed afterwards. */
@Entity
@Table(name = "audit_events")
public class AuditEvent extends TenantOwnedEntity {

    @Column(name = "occurred_at", nullable = false, updatable = false)
    public Instant occurredAt;

    @Column(name = "actor_type", nullable = false, updatable = false, length = 16)
    public String actorType;

    @Column(name = "actor_id", updatable = false)
    public UUID actorId;

    @Column(name = "actor_email", updatable = false, length = 320)
    public String actorEmail;

    @Column(nullable = false, updatable = false, length = 16)
    public String category;

    @Column(nullable = false, updatable = false, length = 100)
    public String action;

    @Column(name = "resource_type", updatable = false, length = 64)
    public String resourceType;

    @Column(name = "resource_id", updatable = false, length = 255)
    public String resourceId;

    @Column(name = "resource_name", updatable = false, length = 300)
    public String resourceName;

    @Column(name = "project_id", updatable = false)
    public UUID projectId;

    /** {@code {"field.path": {"before": …, "after": …}}} as JSON, secrets redacted; null when nothing changed. */
    @Column(updatable = false, columnDefinition = "text")
    public String changes;

    @Column(name = "source_ip", updatable = false, length = 64)
    public String sourceIp;

    @Column(name = "request_id", updatable = false, length = 64)
    public String requestId;

    @Column(nullable = false, updatable = false, length = 16)
    public String outcome;
}
