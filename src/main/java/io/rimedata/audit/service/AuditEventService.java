package io.rimedata.audit.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.rimedata.audit.AuditEvent;
import io.rimedata.audit.AuditEventFilter;
import io.rimedata.audit.repository.AuditEventRepository;
import io.rimedata.audit.rest.AuditEventApi.AuditActorView;
import io.rimedata.audit.rest.AuditEventApi.AuditEventView;
import io.rimedata.audit.rest.AuditEventApi.AuditResourceView;
import io.rimedata.platform.pagination.Page;
import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads a tenant's audit log. */
@ApplicationScoped
public class AuditEventService {

    private final AuditEventRepository events;
    private final ObjectMapper json;

    AuditEventService(AuditEventRepository events, ObjectMapper json) {
        this.events = events;
        this.json = json;
    }

    @WithSession
    public Uni<Page<AuditEventView>> list(TenantRef tenant, AuditEventFilter filter, PageRequest page) {
        return events.page(tenant, filter, page)
                .map(rows -> page.toPage(rows, (AuditEvent e) -> e.id).map(this::view));
    }

    private AuditEventView view(AuditEvent e) {
        AuditResourceView resource = e.resourceType == null && e.resourceId == null && e.resourceName == null ? null
                : new AuditResourceView(e.resourceType, e.resourceId, e.resourceName);
        return new AuditEventView(e.id, e.occurredAt, new AuditActorView(e.actorType, e.actorId, e.actorEmail),
                e.category, e.action, resource, e.projectId, changes(e.changes), e.sourceIp, e.requestId, e.outcome);
    }

    private JsonNode changes(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
