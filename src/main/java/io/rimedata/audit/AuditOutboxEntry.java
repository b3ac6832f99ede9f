package io.rimedata.audit;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/**
 * An audit entry written in the transaction of the change it records, waiting for the relay to move it into
 * {@link AuditEvent}. Its id, taken when the entry was written, becomes the event's id.
 */
@Entity
@Table(name = "audit_outbox")
public class AuditOutboxEntry extends TenantOwnedEntity {

    /** The whole entry as JSON. */
    @Column(nullable = false, columnDefinition = "text")
    public String payload;

    /** Failed relay attempts; past the configured maximum the entry waits here for an operator. */
    @Column(nullable = false)
    public int attempts;

    @Column(name = "last_error", columnDefinition = "text")
    public String lastError;
}
