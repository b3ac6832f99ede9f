package io.rimedata.audit.repository;

import io.rimedata.audit.AuditEvent;
import io.rimedata.platform.persistence.TenantScopedRepository;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class AuditEventRepository extends TenantScopedRepository<AuditEvent> {

    AuditEventRepository() {
        super(AuditEvent.class);
    }
}
