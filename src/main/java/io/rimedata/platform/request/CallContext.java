package io.rimedata.platform.request;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.rimedata.platform.tenancy.TenantRef;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;

/** What the request chain established about the current call: its tenant, request id and client address. */
@RequestScoped
public class CallContext {

    private static final String TENANT = "rime.tenant";
    private static final String OPERATOR = "rime.operator";
    private static final String OPERATOR_HOST = "rime.operator-host";

    /** The role of the platform operator's credential; no tenant credential ever carries it. */
    public static final String OPERATOR_ROLE = "platform_operator";

    private final CurrentVertxRequest current;

    CallContext(CurrentVertxRequest current) {
        this.current = current;
    }

    public static void putTenant(RoutingContext rc, TenantRef tenant) {
        rc.put(TENANT, tenant);
    }

    /** The request addresses the operator's host (the bare base domain) on a platform route. */
    public static void markOperatorHost(RoutingContext rc) {
        rc.put(OPERATOR_HOST, Boolean.TRUE);
    }

    public static boolean isOperatorHost(RoutingContext rc) {
        return Boolean.TRUE.equals(rc.get(OPERATOR_HOST));
    }

    /** The caller proved to be the platform operator (set by the gate once the credential was verified). */
    public static void markOperator(RoutingContext rc) {
        rc.put(OPERATOR, Boolean.TRUE);
    }

    public static TenantRef tenantOf(RoutingContext rc) {
        return rc.get(TENANT);
    }

    public static boolean isOperator(RoutingContext rc) {
        return Boolean.TRUE.equals(rc.get(OPERATOR));
    }

    /** The host's tenant; the tenancy filter guarantees one on every tenant route. */
    public TenantRef tenant() {
        TenantRef tenant = tenantOf(rc());
        if (tenant == null) {
            throw new IllegalStateException("No tenant on this request");
        }
        return tenant;
    }

    public boolean operator() {
        return isOperator(rc());
    }

    public String requestId() {
        return RequestIds.of(rc());
    }

    /** The client address, as resolved by Quarkus (forwarded headers count only from trusted proxies). */
    public String sourceIp() {
        var address = rc().request().remoteAddress();
        return address == null ? null : address.hostAddress();
    }

    private RoutingContext rc() {
        return current.getCurrent();
    }
}
