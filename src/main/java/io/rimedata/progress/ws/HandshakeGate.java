package io.rimedata.progress.ws;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.rimedata.identity.ProjectLookup;
import io.rimedata.identity.Role;
import io.rimedata.platform.background.Background;
import io.rimedata.platform.error.ApiException;
import io.rimedata.platform.error.BadRequest;
import io.rimedata.platform.error.ErrorWriter;
import io.rimedata.platform.error.Forbidden;
import io.rimedata.platform.error.NotFound;
import io.rimedata.platform.error.Unauthorized;
import io.rimedata.platform.http.FilterOrder;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.platform.ratelimit.RequestGate;
import io.rimedata.platform.request.CallContext;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.progress.WatchTarget;
import io.rimedata.progress.service.RunSnapshots;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request chain for WebSocket handshakes (§9), which do not pass through Quarkus REST: the bearer token (from
 * {@code Authorization}, or for browsers from {@code Sec-WebSocket-Protocol} in the Quarkus convention), the same
 * gate as REST (tenant, revocation, rate limit), the viewer role, and the watched resource's existence in the
 * tenant. A refused handshake is answered with the error envelope like any request; an accepted one carries its
 * {@link WatchTarget} to the endpoint.
 */
@ApplicationScoped
public class HandshakeGate {

    static final String TARGET = "rime.ws.target";
    public static final String CARRIER = "bearer-token-carrier";
    private static final String HEADER_PREFIX = "quarkus-http-upgrade#Authorization#";
    private static final String ID = "([0-9a-fA-F-]{36})";
    private static final Pattern PIPELINE_RUN = Pattern.compile("^/api/v1/projects/" + ID + "/pipelines/" + ID + "/runs/" + ID + "/progress$");
    private static final Pattern CONNECTOR_RUN = Pattern.compile("^/api/v1/projects/" + ID + "/connectors/" + ID + "/runs/" + ID + "/progress$");
    private static final BiConsumer<RoutingContext, Throwable> IGNORE_AUTH_FAILURE = (rc, failure) -> { };
    private static final Pattern PROJECT = Pattern.compile("^/api/v1/projects/" + ID + "/events$");

    private final RequestGate gate;
    private final RunSnapshots snapshots;
    private final ProjectLookup projects;
    private final ErrorWriter errors;
    private final Background background;

    HandshakeGate(RequestGate gate, RunSnapshots snapshots, ProjectLookup projects, ErrorWriter errors, Background background) {
        this.background = background;
        this.gate = gate;
        this.snapshots = snapshots;
        this.projects = projects;
        this.errors = errors;
    }

    void register(@Observes Router router) {
        router.route().order(FilterOrder.UPGRADE).handler(this::check);
    }

    private void check(RoutingContext rc) {
        String path = rc.request().path();
        if (!"websocket".equalsIgnoreCase(rc.request().getHeader("Upgrade")) || !path.startsWith("/api/v1/projects/")) {
            rc.next();
            return;
        }
        Context requestContext = ((HttpServerRequestInternal) rc.request()).context();
        Uni<WatchTarget> checked;
        try {
            checked = admit(rc);
        } catch (ApiException e) {
            errors.write(rc, e);
            return;
        }
        checked.subscribe().with(target -> requestContext.runOnContext(v -> {
            requestContext.putLocal(TARGET, target);
            rc.next();
        }), failure -> requestContext.runOnContext(v -> {
            if (failure instanceof ApiException api) {
                errors.write(rc, api);
            } else {
                rc.fail(failure);
            }
        }));
    }

    private Uni<WatchTarget> admit(RoutingContext rc) {
        TenantRef tenant = CallContext.tenantOf(rc);
        WatchTarget target = target(tenant, rc);
        carryToken(rc);
        // a refused token is answered below with the 401 envelope; Quarkus' own handler would fail the route (a 500)
        rc.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, IGNORE_AUTH_FAILURE);
        Uni<SecurityIdentity> identity = rc.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        if (identity == null) {
            HttpAuthenticator authenticator = rc.get(HttpAuthenticator.class.getName());
            identity = authenticator == null ? Uni.createFrom().nullItem() : authenticator.attemptAuthentication(rc);
        }
        return gate.admit(rc, tenant, template(target), target.projectId(), identity).chain(who -> {
            if (who == null || who.isAnonymous()) {
                return Uni.createFrom().failure(new Unauthorized("Authentication is required: send a valid Bearer token."));
            }
            if (!who.hasRole(Role.VIEWER_NAME)) {
                return Uni.createFrom().failure(new Forbidden("This credential cannot watch runs."));
            }
            return background.detached(() -> exists(target)).replaceWith(target);
        });
    }

    private Uni<Void> exists(WatchTarget target) {
        if (target.kind() == WatchTarget.Kind.PROJECT) {
            return DatabaseScope.session(target.tenant(), () -> projects.exists(target.tenant(), target.projectId())).invoke(found -> {
                if (!found) {
                    throw NotFound.of("Project", target.projectId());
                }
            }).replaceWithVoid();
        }
        return snapshots.of(target).replaceWithVoid();
    }

    private static WatchTarget target(TenantRef tenant, RoutingContext rc) {
        if (tenant == null) {
            throw new NotFound("No such WebSocket endpoint on this host.");
        }
        Long since = sinceSeq(rc.request().getParam("since_seq"));
        String path = rc.request().path();
        Matcher m;
        if ((m = PIPELINE_RUN.matcher(path)).matches()) {
            return new WatchTarget(tenant, uuid(m.group(1)), WatchTarget.Kind.PIPELINE_RUN, uuid(m.group(2)), uuid(m.group(3)), since);
        }
        if ((m = CONNECTOR_RUN.matcher(path)).matches()) {
            return new WatchTarget(tenant, uuid(m.group(1)), WatchTarget.Kind.CONNECTOR_RUN, uuid(m.group(2)), uuid(m.group(3)), since);
        }
        if ((m = PROJECT.matcher(path)).matches()) {
            return new WatchTarget(tenant, uuid(m.group(1)), WatchTarget.Kind.PROJECT, null, null, null);
        }
        throw new NotFound("No such WebSocket endpoint.");
    }

    private static String template(WatchTarget target) {
        return switch (target.kind()) {
            case PIPELINE_RUN -> "/projects/{id}/pipelines/{pipelineId}/runs/{runId}/progress";
            case CONNECTOR_RUN -> "/projects/{id}/connectors/{connectorId}/runs/{runId}/progress";
            case PROJECT -> "/projects/{id}/events";
        };
    }

    /** Browsers cannot set headers on a WebSocket: the token rides in a subprotocol, never in the URL. */
    private static void carryToken(RoutingContext rc) {
        if (rc.request().getHeader("Authorization") != null) {
            return;
        }
        String offered = rc.request().getHeader("Sec-WebSocket-Protocol");
        if (offered == null || !offered.contains(CARRIER)) {
            return;
        }
        for (String protocol : offered.split(",")) {
            String p = protocol.trim();
            if (p.startsWith(HEADER_PREFIX)) {
                rc.request().headers().set("Authorization", URLDecoder.decode(p.substring(HEADER_PREFIX.length()), StandardCharsets.UTF_8));
            }
        }
    }

    private static Long sinceSeq(String value) {
        if (value == null) {
            return null;
        }
        try {
            long n = Long.parseLong(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw BadRequest.field("since_seq", "Must be a non-negative integer.");
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new NotFound("No such WebSocket endpoint.");
        }
    }
}
