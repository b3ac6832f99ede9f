package io.rimedata.audit.repository;

import io.rimedata.audit.AuditEvent;
import io.rimedata.audit.AuditEventFilter;
import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class AuditEventRepository extends TenantScopedRepository<AuditEvent> {

    AuditEventRepository() {
        super(AuditEvent.class);
    }

    /** One keyset page of the tenant's events matching every given filter. */
    public Uni<List<AuditEvent>> page(TenantRef tenant, AuditEventFilter filter, PageRequest page) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        add(where, params, "projectId = :projectId", "projectId", filter.projectId());
        add(where, params, "actorId = :actorId", "actorId", filter.actorId());
        add(where, params, "category = :category", "category", filter.category());
        add(where, params, "action = :action", "action", filter.action());
        add(where, params, "resourceType = :resourceType", "resourceType", filter.resourceType());
        add(where, params, "resourceId = :resourceId", "resourceId", filter.resourceId());
        add(where, params, "occurredAt >= :from", "from", filter.from());
        add(where, params, "occurredAt < :to", "to", filter.to());
        return page(tenant, String.join(" and ", where), params, page);
    }

    private static void add(List<String> where, Map<String, Object> params, String clause, String name, Object value) {
        if (value != null) {
            where.add(clause);
            params.put(name, value);
        }
    }
}
