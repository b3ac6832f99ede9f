package io.rimedata.audit;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.rimedata.audit.service.AuditEntry;
import io.rimedata.audit.service.AuditLog;
import io.rimedata.platform.error.Conflict;
import io.rimedata.platform.request.CallContext;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Test-only route (src/test is part of the test application): records an audit entry in a transaction and then
 * commits it, or fails with 409 after the entry was written, so the transaction rolls back.
 */
@Path("/test-support/audit-probe")
@PermitAll
public class AuditProbe {

    public static final String COMMITTED = "probe.committed";
    public static final String ROLLED_BACK = "probe.rolled_back";

    @Inject
    Writer writer;

    @Inject
    CallContext call;

    @POST
    @Path("/{outcome}")
    public Uni<RestResponse<Void>> probe(@PathParam("outcome") String outcome, @QueryParam("marker") String marker) {
        return writer.write(call.tenant(), marker, "rollback".equals(outcome)).map(v -> RestResponse.noContent());
    }

    @ApplicationScoped
    public static class Writer {

        @Inject
        AuditLog audit;

        @WithTransaction
        public Uni<Void> write(TenantRef tenant, String marker, boolean fail) {
            AuditEntry entry = AuditEntry.of(AuditEntry.Category.RESOURCE, fail ? ROLLED_BACK : COMMITTED)
                    .withResource("probe", null, marker);
            return audit.record(tenant, entry).chain(() -> fail
                    ? Uni.createFrom().failure(new Conflict("The probe fails after writing its audit entry."))
                    : Uni.createFrom().voidItem());
        }
    }
}
