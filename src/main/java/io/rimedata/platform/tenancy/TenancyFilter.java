package io.rimedata.platform.tenancy;

import io.rimedata.platform.config.PlatformConfig;
import io.rimedata.platform.error.ErrorWriter;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.platform.request.CallContext;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Resolves the tenant from the {@code Host} header before any routing: unknown tenants and foreign hosts are
 * 404s; the bare base domain serves only the operator's {@code /platform} routes, and only when an operator token is
 * configured. Paths are canonical by now ({@code CanonicalPath}), so the prefix tests below see what the router sees.
 */
@ApplicationScoped
public class TenancyFilter {

    private static final Logger LOG = Logger.getLogger(TenancyFilter.class);
    private static final String API = "/api/v1/";
    private static final String PLATFORM = "/api/v1/platform";

    private final TenantDirectory directory;
    private final ErrorWriter errors;
    private final String baseDomain;
    private final boolean operatorConfigured;

    TenancyFilter(TenantDirectory directory, ErrorWriter errors, PlatformConfig config) {
        this.directory = directory;
        this.errors = errors;
        this.baseDomain = config.baseDomain();
        this.operatorConfigured = config.operatorToken().filter(t -> !t.isBlank()).isPresent();
    }

    public void resolve(RoutingContext rc) {
        String path = rc.request().path();
        if (!path.startsWith(API)) {
            rc.next();
            return;
        }
        HostAndPort authority = rc.request().authority();
        HostName host = HostName.parse(authority == null ? null : authority.host(), baseDomain);
        boolean platformPath = path.equals(PLATFORM) || path.startsWith(PLATFORM + "/");
        switch (host) {
            case HostName.Operator operator -> {
                if (!platformPath || !operatorConfigured) {
                    notFound(rc, "No route matches this path.");
                } else {
                    // the operator's credential is checked by its own authentication mechanism and role
                    CallContext.markOperatorHost(rc);
                    // the operator lists and provisions tenants: deliberately cross-tenant
                    DatabaseScope.enterPlatform();
                    MDC.put("tenant", "_platform");
                    rc.next();
                }
            }
            case HostName.TenantHost tenantHost -> {
                if (platformPath) {
                    notFound(rc, "No route matches this path.");
                    return;
                }
                directory.resolve(tenantHost.subdomain()).subscribe().with(found -> {
                    if (found.isEmpty()) {
                        notFound(rc, "Tenant '" + tenantHost.subdomain() + "' was not found.");
                    } else {
                        CallContext.putTenant(rc, found.get());
                        DatabaseScope.enterTenant(found.get().id());
                        MDC.put("tenant", found.get().subdomain());
                        rc.next();
                    }
                }, failure -> {
                    LOG.warnf("Tenant lookup failed: %s", failure.toString());
                    rc.response().putHeader("Retry-After", "1");
                    errors.write(rc, 503, "service_unavailable", "A backing service is unavailable; retry shortly.", List.of());
                });
            }
            case HostName.Outside outside -> notFound(rc, "No tenant is served at this host.");
        }
    }

    private void notFound(RoutingContext rc, String message) {
        errors.write(rc, 404, "resource_not_found", message, List.of());
    }

}
