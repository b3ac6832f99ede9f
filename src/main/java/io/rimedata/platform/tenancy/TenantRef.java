package io.rimedata.platform.tenancy;

import java.util.UUID;

/**
 * The tenant a request or a background job acts for. Every tenant-owned query takes one; code outside a
 * request (schedulers, the orchestrator) carries it explicitly.
 */
public record TenantRef(UUID id, String subdomain, String tier) {

    public static TenantRef of(Tenant tenant) {
        return new TenantRef(tenant.id, tenant.subdomain, tenant.tier);
    }
}
