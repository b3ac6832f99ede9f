package io.rimedata.platform.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.rimedata.identity.apikey.ApiKeyPrincipal;
import io.rimedata.identity.token.Revocations;
import io.rimedata.platform.error.Forbidden;
import io.rimedata.platform.error.NotFound;
import io.rimedata.platform.config.PlatformConfig;
import io.rimedata.platform.error.RateLimited;
import io.rimedata.platform.error.ServiceUnavailable;
import io.rimedata.platform.error.TokenFailures;
import io.rimedata.platform.error.Unauthorized;
import io.rimedata.platform.request.CallContext;
import io.rimedata.platform.request.ClientAddress;
import io.rimedata.platform.request.TenantBoundPrincipal;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The JAX-RS end of the request chain. For each routed request it authenticates the bearer token (if any),
 * checks that the token belongs to the host's tenant, and then, in a single Redis call, checks the session's
 * revocation and takes a token from the endpoint's bucket. Role checks follow, declared with
 * {@code @RolesAllowed} on each resource method.
 */
@ApplicationScoped
public class RequestGate {

    private static final Logger LOG = Logger.getLogger(RequestGate.class);
    private static final String API_PREFIX = "/api/v1";
    private static final long LOG_INTERVAL_NANOS = 30_000_000_000L;
    static final String TAKEN_BUCKET = "rime.rate-limit.bucket";
    private static final String PROJECT_ROUTE = "/projects/{";

    private final CurrentIdentityAssociation identities;
    private final GateScript script;
    private final RateLimitPolicies policies;
    private final PlatformConfig.RateLimits config;
    private final Counter redisFailures;
    private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

    RequestGate(CurrentIdentityAssociation identities, GateScript script, RateLimitPolicies policies,
            PlatformConfig config, MeterRegistry registry) {
        this.identities = identities;
        this.script = script;
        this.policies = policies;
        this.config = config.rateLimits();
        this.redisFailures = Counter.builder("rime.ratelimit.redis.failures")
                .description("Requests served without a rate-limit decision because Redis was unreachable")
                .register(registry);
    }

    @ServerRequestFilter(priority = 500)
    public Uni<Response> gate(RoutingContext rc, ContainerRequestContext request) {
        TenantRef tenant = CallContext.tenantOf(rc);
        if (CallContext.isOperatorHost(rc)) {
            return admitOperator(rc, template(rc), identities.getDeferredIdentity()).replaceWith((Response) null);
        }
        if (tenant == null) {
            return Uni.createFrom().nullItem(); // public documentation routes
        }
        String template = template(rc);
        return admit(rc, tenant, rc.request().method().name(), template,
                () -> projectParameter(template, request.getUriInfo().getPathParameters()),
                identities.getDeferredIdentity()).replaceWith((Response) null);
    }

    /**
     * The gate for a request outside Quarkus REST (a WebSocket handshake): the same authentication, tenant check,
     * revocation check and rate limit, for the given route template and the project its path names. Answers the
     * caller's identity (anonymous when no credentials were sent) or fails with the API error to answer.
     */
    public Uni<SecurityIdentity> admit(RoutingContext rc, TenantRef tenant, String template, UUID project,
            Uni<SecurityIdentity> identity) {
        // the identity is resolved once: the gate judges it, and the caller gets it back for its role check
        return identity.onItemOrFailure().transformToUni((who, failure) -> {
            Uni<SecurityIdentity> resolved = failure != null ? Uni.createFrom().failure(failure) : Uni.createFrom().item(who);
            return admit(rc, tenant, rc.request().method().name(), template, () -> project, resolved)
                    .replaceWith(failure != null ? null : who);
        });
    }

    private Uni<Void> admit(RoutingContext rc, TenantRef tenant, String method, String template, Supplier<UUID> project,
            Uni<SecurityIdentity> identity) {
        return authenticate(tenant, identity).chain(p -> decide(rc, p, buckets(rc, tenant, false, method, template, p))
                .invoke(admitted -> {
                    if (p.project() != null) {
                        requireInProject(p.project(), template, project.get());
                    }
                })).replaceWithVoid();
    }

    /**
     * The operator's routes: only the operator's own credential (its mechanism, its role) passes. Security checks of
     * matched routes run before the filters that follow matching, so attempts without that credential are judged
     * here, before matching: charged to the caller's address (guessing ends in 429s) and answered 401, never
     * touching the operator's own bucket.
     */
    @ServerRequestFilter(preMatching = true, priority = 500)
    public Uni<Response> refuseOperatorGuesses(RoutingContext rc) {
        if (!CallContext.isOperatorHost(rc)) {
            return Uni.createFrom().nullItem();
        }
        return isOperator(identities.getDeferredIdentity()).chain(operator -> operator ? Uni.createFrom().nullItem()
                : decide(rc, Principal.invalid(Unauthorized.INVALID), addressBucket(rc, "operator")));
    }

    /** The operator, authenticated, on a matched route: the operator's bucket for that route. */
    private Uni<Void> admitOperator(RoutingContext rc, String template, Uni<SecurityIdentity> identity) {
        String method = rc.request().method().name();
        return isOperator(identity).chain(operator -> {
            if (!operator) {
                return Uni.createFrom().failure(Principal.invalid(Unauthorized.INVALID).refused());
            }
            CallContext.markOperator(rc);
            return decide(rc, Principal.NONE, buckets(rc, null, true, method, template, Principal.NONE));
        }).replaceWithVoid();
    }

    private static Uni<Boolean> isOperator(Uni<SecurityIdentity> identity) {
        return identity.map(who -> who != null && who.hasRole(CallContext.OPERATOR_ROLE))
                .onFailure(AuthenticationFailedException.class).recoverWithItem(false);
    }

    /**
     * The bucket a request is charged to. Only a valid credential spends its tenant's quota; a caller without one
     * (no token, a bad one, or a public sign-in route) spends a bucket of its own client address, so a stranger
     * cannot exhaust a tenant's limits for its users.
     */
    private List<GateScript.BucketKey> buckets(RoutingContext rc, TenantRef tenant, boolean operator, String method,
            String template, Principal principal) {
        EndpointClass endpointClass = EndpointClass.of(method, template);
        if (operator || (principal.authenticated() && endpointClass != EndpointClass.LOGIN)) {
            String endpoint = method + " " + template;
            String scope = operator ? "_platform" : tenant.id().toString();
            RateLimitPolicies.Bucket bucket = policies.forEndpoint(endpoint, endpointClass, operator ? null : tenant.tier());
            return List.of(new GateScript.BucketKey("rime:rl:" + scope + ":" + endpoint, bucket));
        }
        return addressBucket(rc, endpointClass == EndpointClass.LOGIN ? "sign-in" : "anonymous");
    }

    private List<GateScript.BucketKey> addressBucket(RoutingContext rc, String kind) {
        String peer = rc.request().remoteAddress() == null ? null : rc.request().remoteAddress().hostAddress();
        return List.of(new GateScript.BucketKey("rime:rl:ip:" + ClientAddress.of(peer) + ":" + kind, policies.perIp()));
    }

    /**
     * Charges a caller refused by a role check for want of a valid credential (which happens before this gate runs)
     * to the bucket of its client address; fails with {@link RateLimited} once that is empty. A Redis failure lets
     * the refusal through unchanged.
     */
    public Uni<Void> chargeUnauthenticated(RoutingContext rc) {
        if (!config.enabled()) {
            return Uni.createFrom().voidItem();
        }
        List<GateScript.BucketKey> buckets = addressBucket(rc, "anonymous");
        return script.run(null, buckets)
                .ifNoItem().after(config.redisTimeout()).fail()
                .invoke(verdict -> {
                    putRateLimitHeaders(rc, buckets.getFirst().bucket(), verdict);
                    if (!verdict.allowed()) {
                        throw new RateLimited("Rate limit exceeded for this client; retry after the indicated delay.",
                                (verdict.retryAfterMillis() + 999) / 1000);
                    }
                })
                .replaceWithVoid()
                .onFailure(t -> !(t instanceof RateLimited)).recoverWithUni(failure -> redisUnavailable(failure, Principal.NONE)
                        .onFailure().recoverWithNull().replaceWithVoid());
    }

    private static void putRateLimitHeaders(RoutingContext rc, RateLimitPolicies.Bucket bucket, GateScript.Verdict verdict) {
        rc.response().putHeader("RateLimit-Policy", bucket.capacity() + ";w=" + bucket.windowSeconds());
        rc.response().putHeader("RateLimit", "limit=" + bucket.capacity() + ", remaining="
                + Math.max(0, verdict.remaining()) + ", reset=" + Math.max(0, verdict.resetSeconds()));
    }

    /** A 304 answer to If-None-Match does not count against the limit (§1.4): its token goes back. */
    @ServerResponseFilter
    public Uni<Void> refundNotModified(ContainerResponseContext response, RoutingContext rc) {
        GateScript.BucketKey taken = rc.get(TAKEN_BUCKET);
        if (taken == null || response.getStatus() != 304) {
            return Uni.createFrom().voidItem();
        }
        return script.refund(taken).onFailure().recoverWithNull();
    }

    private Uni<Principal> authenticate(TenantRef tenant, Uni<SecurityIdentity> deferred) {
        return deferred
                .map(identity -> principalOf(identity, tenant))
                .onFailure(AuthenticationFailedException.class)
                .recoverWithItem(failure -> Principal.invalid(TokenFailures.describe(failure)));
    }

    private static Principal principalOf(SecurityIdentity identity, TenantRef tenant) {
        if (identity == null || identity.isAnonymous()) {
            return Principal.NONE;
        }
        if (identity.getPrincipal() instanceof TenantBoundPrincipal bound) {
            UUID project = bound instanceof ApiKeyPrincipal key ? key.projectId() : null;
            return bound.tenantId().equals(tenant.id()) ? Principal.of(bound.revocationKey(), project)
                    : Principal.invalid(Unauthorized.INVALID);
        }
        if (!(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Principal.invalid(Unauthorized.INVALID);
        }
        Object claimedTenant = jwt.getClaim("tenant");
        if (claimedTenant == null || !tenant.subdomain().equals(claimedTenant.toString())) {
            return Principal.invalid(Unauthorized.INVALID);
        }
        String sid = jwt.getClaim("sid");
        return Principal.of(sid == null ? null : Revocations.sessionKey(sid), null);
    }

    private Uni<Response> decide(RoutingContext rc, Principal principal, List<GateScript.BucketKey> buckets) {
        if (!config.enabled() && principal.revocationKey() == null) {
            return principal.valid() ? Uni.createFrom().nullItem() : Uni.createFrom().failure(principal.refused());
        }
        return script.run(principal.revocationKey(), config.enabled() ? buckets : List.of())
                .ifNoItem().after(config.redisTimeout()).fail()
                .map(verdict -> {
                    if (config.enabled()) {
                        putRateLimitHeaders(rc, buckets.getFirst().bucket(), verdict);
                    }
                    if (verdict.revoked()) {
                        throw Unauthorized.invalidToken(Unauthorized.REVOKED);
                    }
                    // a caller without a valid credential is limited on its own address before it learns anything
                    if (!verdict.allowed()) {
                        throw new RateLimited("Rate limit exceeded for this endpoint; retry after the indicated delay.",
                                (verdict.retryAfterMillis() + 999) / 1000);
                    }
                    if (!principal.valid()) {
                        throw principal.refused();
                    }
                    rc.put(TAKEN_BUCKET, buckets.getFirst());
                    return (Response) null;
                })
                .onFailure(t -> !(t instanceof RateLimited) && !(t instanceof Unauthorized))
                .recoverWithUni(failure -> redisUnavailable(failure, principal));
    }

    private Uni<Response> redisUnavailable(Throwable failure, Principal principal) {
        redisFailures.increment();
        long now = System.nanoTime();
        long last = lastFailureLog.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastFailureLog.compareAndSet(last, now)) {
            LOG.warnf("Redis unreachable for rate limiting and revocation checks (%s); failing %s",
                    failure.toString(), config.failOpen() ? "open" : "closed");
        }
        if (!config.failOpen()) {
            return Uni.createFrom().failure(new ServiceUnavailable("A backing service is unavailable; retry shortly."));
        }
        return principal.valid() ? Uni.createFrom().nullItem() : Uni.createFrom().failure(principal.refused());
    }

    /** The matched route template, as Quarkus REST records it for metrics, relative to {@code /api/v1}. */
    static String template(RoutingContext rc) {
        Object template = null;
        if (rc.request() instanceof HttpServerRequestInternal internal) {
            template = internal.context().getLocal("UrlPathTemplate");
        }
        String path = template == null ? rc.request().path() : template.toString();
        return path.startsWith(API_PREFIX) ? path.substring(API_PREFIX.length()) : path;
    }

    /**
     * Who the gate is judging: nobody (no credentials), a valid credential ({@code project} set for API keys, which
     * act only inside that project), or a refused one with the reason a client may be told.
     */
    private record Principal(String revocationKey, UUID project, boolean authenticated, String refusal) {
        static final Principal NONE = new Principal(null, null, false, null);

        static Principal of(String revocationKey, UUID project) {
            return new Principal(revocationKey, project, true, null);
        }

        static Principal invalid(String refusal) {
            return new Principal(null, null, false, refusal);
        }

        boolean valid() {
            return refusal == null;
        }

        Unauthorized refused() {
            return Unauthorized.invalidToken(refusal);
        }
    }

    /**
     * An API key reaches only routes under {@code /projects/{id}} of its own project: another project's id is "not
     * found" (its existence is not revealed), anything outside projects is forbidden. The project is the matched
     * route's own path parameter, never a prefix of the path string.
     */
    static void requireInProject(UUID keyProject, String template, UUID routeProject) {
        if (!template.startsWith(PROJECT_ROUTE)) {
            throw new Forbidden("API keys act only inside their project.");
        }
        if (!keyProject.equals(routeProject)) {
            throw NotFound.of("Project", routeProject == null ? "" : routeProject);
        }
    }

    /** The value of the route's project parameter (the first one of {@code /projects/{…}}), or null. */
    static UUID projectParameter(String template, MultivaluedMap<String, String> parameters) {
        if (!template.startsWith(PROJECT_ROUTE)) {
            return null;
        }
        int end = template.indexOf('}', PROJECT_ROUTE.length());
        String name = template.substring(PROJECT_ROUTE.length(), end).split(":", 2)[0].trim();
        String value = parameters.getFirst(name);
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
