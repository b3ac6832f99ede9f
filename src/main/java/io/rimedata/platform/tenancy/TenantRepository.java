package io.rimedata.platform.tenancy;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Tenants are global rows (the operator's view), so this is the one repository without a tenant scope. */
@ApplicationScoped
public class TenantRepository implements PanacheRepositoryBase<Tenant, UUID> {

    @WithSession
    public Uni<Tenant> findBySubdomain(String subdomain) {
        return find("subdomain", subdomain).firstResult();
    }
}
