package io.rimedata.platform.tenancy;

import io.rimedata.platform.error.Conflict;
import io.rimedata.platform.pagination.PageRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import org.hibernate.LockMode;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Tenant rows for the operator's provisioning. Runs inside the caller's session or transaction so a tenant and
 * its first admin are created atomically.
 */
@ApplicationScoped
public class Tenants {

    private final TenantRepository repository;
    private final TenantDirectory directory;

    Tenants(TenantRepository repository, TenantDirectory directory) {
        this.repository = repository;
        this.directory = directory;
    }

    public Uni<Tenant> create(String subdomain, String name, String tier, String defaultTimezone) {
        return repository.count("subdomain", subdomain).chain(existing -> {
            if (existing > 0) {
                return Uni.createFrom().failure(new Conflict("A tenant with subdomain '" + subdomain + "' already exists."));
            }
            Tenant tenant = new Tenant();
            tenant.subdomain = subdomain;
            tenant.name = name;
            tenant.tier = tier;
            tenant.defaultTimezone = defaultTimezone;
            tenant.status = "active";
            return repository.persistAndFlush(tenant).invoke(() -> directory.invalidate(subdomain));
        });
    }

    /**
     * Locks the tenant row for the rest of the caller's transaction: the one serialisation point for rules that
     * count rows across a tenant (tier caps, "the last admin").
     */
    public Uni<Tenant> lock(TenantRef tenant) {
        return Panache.getSession().chain(s -> s.find(Tenant.class, tenant.id(), LockMode.PESSIMISTIC_WRITE));
    }

    public Uni<Tenant> findById(UUID id) {
        return repository.findById(id);
    }

    /** References of the given tenants, for work outside requests that starts from rows' {@code tenant_id}. */
    public Uni<Map<UUID, TenantRef>> refs(Collection<UUID> ids) {
        return repository.list("id in ?1", ids)
                .map(rows -> rows.stream().collect(Collectors.toMap(t -> t.id, TenantRef::of)));
    }

    public Uni<Tenant> findBySubdomain(String subdomain) {
        return repository.find("subdomain", subdomain).firstResult();
    }

    /** One keyset page ({@code limit + 1} rows) of all tenants, oldest first. */
    public Uni<List<Tenant>> page(PageRequest page) {
        String where = page.after() == null ? "1 = 1" : "id > :after";
        Parameters params = page.after() == null ? new Parameters() : Parameters.with("after", page.after());
        return repository.find(where, Sort.ascending("id"), params).range(0, page.limit()).list();
    }
}
