package io.rimedata.platform.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import java.util.UUID;

/**
 * Base of every row that belongs to a tenant. Rows are read and written only through
 * {@link TenantScopedRepository}, which cannot run a query without a tenant.
 */
@MappedSuperclass
public abstract class TenantOwnedEntity extends BaseEntity {

    @Column(name = "tenant_id", nullable = false, updatable = false)
    public UUID tenantId;
}
