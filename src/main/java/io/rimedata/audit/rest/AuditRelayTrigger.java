package io.rimedata.audit.rest;

import io.rimedata.audit.service.AuditLog;
import io.rimedata.audit.service.AuditRelay;
import io.vertx.ext.web.RoutingContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Nudges the relay when a request that wrote an audit entry has its response: by then the service's transaction has
 * committed (or rolled back, and the relay finds nothing), so entries appear within milliseconds, not a timer tick.
 */
public class AuditRelayTrigger {

    private final AuditRelay relay;

    AuditRelayTrigger(AuditRelay relay) {
        this.relay = relay;
    }

    @ServerResponseFilter
    public void afterResponse(RoutingContext rc) {
        if (AuditLog.pendingOn(rc)) {
            relay.nudge();
        }
    }
}
