package io.rimedata.audit.service;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.platform.egress.EgressAudit;
import io.rimedata.platform.egress.EgressOrigin;
import io.rimedata.platform.egress.EgressRefused;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Audits refusals of the egress policy in a transaction of their own (the refused change itself never commits):
 * the field, the host and port, and the reason; never a path, query or credential.
 */
@ApplicationScoped
public class EgressRefusalLog implements EgressAudit {

    private final AuditLog audit;

    EgressRefusalLog(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public Uni<Void> refused(EgressOrigin origin, EgressRefused refusal) {
        if (origin == null || origin.tenantId() == null) {
            return Uni.createFrom().voidItem();
        }
        ObjectNode changes = JsonNodeFactory.instance.objectNode();
        changes.putObject(refusal.field()).putNull("before").put("after", refusal.target());
        changes.putObject("egress_refusal").putNull("before").put("after", refusal.reason());
        AuditEntry entry = AuditEntry.of(AuditEntry.Category.RESOURCE, AuditActions.EGRESS_REFUSED)
                .withProject(origin.projectId()).withChanges(changes).failed();
        if (origin.resourceType() != null) {
            entry = entry.withResource(origin.resourceType(), origin.resourceId(), origin.resourceName());
        }
        return audit.recordAlone(new TenantRef(origin.tenantId(), null, null), entry);
    }
}
