package io.rimedata.identity.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.rimedata.audit.service.AuditActions;
import io.rimedata.audit.service.AuditChanges;
import io.rimedata.audit.service.AuditEntry;
import io.rimedata.audit.service.AuditLog;
import io.rimedata.identity.rest.TenantApi;
import io.rimedata.platform.tenancy.Tenant;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.platform.tenancy.Tenants;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/** The caller's own tenant: settings, usage and the caps of its tier. */
@ApplicationScoped
public class TenantService {

    private final Tenants tenants;
    private final Quotas quotas;
    private final AuditLog audit;

    TenantService(Tenants tenants, Quotas quotas, AuditLog audit) {
        this.tenants = tenants;
        this.quotas = quotas;
        this.audit = audit;
    }

    @WithSession
    public Uni<TenantApi.TenantView> get(TenantRef tenant) {
        return tenants.findById(tenant.id()).chain(row -> view(tenant, row));
    }

    @WithTransaction
    public Uni<TenantApi.TenantView> update(TenantRef tenant, TenantApi.UpdateTenant patch) {
        return tenants.lock(tenant).chain(row -> {
            Map<String, Object> before = Map.of("name", row.name, "default_timezone", row.defaultTimezone);
            if (patch.name() != null) {
                row.name = patch.name();
            }
            if (patch.defaultTimezone() != null) {
                row.defaultTimezone = patch.defaultTimezone();
            }
            var changes = AuditChanges.between(before, Map.of("name", row.name, "default_timezone", row.defaultTimezone),
                    java.util.Set.of());
            Uni<Void> recorded = changes.isEmpty() ? Uni.createFrom().voidItem()
                    : audit.record(tenant, AuditEntry.of(AuditEntry.Category.RESOURCE, AuditActions.RESOURCE_MODIFIED)
                            .withResource("tenant", row.id, row.subdomain).withChanges(changes));
            return recorded.chain(() -> view(tenant, row));
        });
    }

    private Uni<TenantApi.TenantView> view(TenantRef tenant, Tenant row) {
        Map<String, Integer> limits = new LinkedHashMap<>();
        quotas.capsOf(row.tier).forEach((name, cap) -> limits.put(name, cap < 0 ? null : cap));
        return quotas.usage(tenant).map(usage -> new TenantApi.TenantView(row.subdomain, row.name, row.tier,
                row.defaultTimezone, row.createdAt, usage, limits));
    }
}
