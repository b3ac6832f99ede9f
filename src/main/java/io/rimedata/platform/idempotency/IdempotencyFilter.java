package io.rimedata.platform.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rimedata.platform.error.BadRequest;
import io.rimedata.platform.error.Conflict;
import io.rimedata.platform.error.Unprocessable;
import io.rimedata.platform.request.CallContext;
import io.rimedata.platform.request.TenantBoundPrincipal;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * {@code Idempotency-Key} on POST (§1.4): the first response is stored in Redis for 24 h under tenant + caller +
 * key; a repeat with the same body gets it again with {@code Idempotent-Replayed: true}, a different body 422, and
 * a repeat while the first is still running 409. Failures (5xx, 429) are not stored, so a retry runs again.
 * Each kind of caller has its own namespace (a user, each API key, each runner), so no caller can replay another's
 * response; callers without a credential, and operations that issue credentials, are not covered at all.
 */
public class IdempotencyFilter {

    private static final Logger LOG = Logger.getLogger(IdempotencyFilter.class);
    public static final String HEADER = "Idempotency-Key";
    private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final String CLAIM = "rime.idempotency.claim";

    private final IdempotencyStore store;
    private final ObjectMapper mapper;

    IdempotencyFilter(IdempotencyStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    /** Runs after the gate (authentication, rate limit) and before the resource. */
    @ServerRequestFilter(priority = 600, readBody = true)
    public Uni<Response> claim(ContainerRequestContext request, RoutingContext rc, ResourceInfo resource) {
        String key = request.getHeaderString(HEADER);
        if (key == null || !"POST".equals(request.getMethod())) {
            return Uni.createFrom().nullItem();
        }
        if (!VALID_KEY.matcher(key).matches()) {
            return Uni.createFrom().failure(BadRequest.field("Idempotency-Key",
                    "Must be 1 to 255 visible ASCII characters."));
        }
        String caller = namespace(request.getSecurityContext() == null ? null
                : request.getSecurityContext().getUserPrincipal());
        if (caller == null || issuesCredentials(resource)) {
            return Uni.createFrom().nullItem();
        }
        byte[] body = readBody(request);
        String fingerprint = sha256(request.getUriInfo().getPath() + "\n" + new String(body, StandardCharsets.UTF_8));
        String storeKey = "rime:idem:" + scope(rc) + ":" + caller + ":" + sha256(key);
        return store.claim(storeKey, fingerprint).map(outcome -> switch (outcome) {
            case IdempotencyStore.Outcome.Claimed claimed -> {
                rc.put(CLAIM, new Claim(storeKey, fingerprint));
                yield null;
            }
            case IdempotencyStore.Outcome.InFlight inFlight ->
                throw new Conflict("A request with this Idempotency-Key is still being processed.");
            case IdempotencyStore.Outcome.Mismatch mismatch ->
                throw new Unprocessable("This Idempotency-Key was already used with a different request body.");
            case IdempotencyStore.Outcome.Replay replay -> replay(replay.stored());
            case IdempotencyStore.Outcome.Unavailable unavailable -> null;
        });
    }

    @ServerResponseFilter
    public Uni<Void> record(ContainerResponseContext response, RoutingContext rc) {
        Claim claim = rc.get(CLAIM);
        if (claim == null) {
            return Uni.createFrom().voidItem();
        }
        rc.remove(CLAIM);
        int status = response.getStatus();
        if (status >= 500 || status == 429) {
            return store.release(claim.storeKey());
        }
        try {
            String body = response.hasEntity() ? mapper.writeValueAsString(response.getEntity()) : null;
            StoredResponse stored = new StoredResponse(claim.fingerprint(), status, body,
                    response.getHeaderString(HttpHeaders.LOCATION), response.getHeaderString(HttpHeaders.ETAG));
            return store.complete(claim.storeKey(), stored);
        } catch (JsonProcessingException e) {
            LOG.warnf("Response for an idempotent request could not be stored: %s", e.getClass().getSimpleName());
            return store.release(claim.storeKey());
        }
    }

    private static Response replay(StoredResponse stored) {
        Response.ResponseBuilder builder = Response.status(stored.status()).header("Idempotent-Replayed", "true");
        if (stored.body() != null) {
            builder.entity(stored.body()).type(MediaType.APPLICATION_JSON_TYPE);
        }
        if (stored.location() != null) {
            builder.header(HttpHeaders.LOCATION, stored.location());
        }
        if (stored.etag() != null) {
            builder.header(HttpHeaders.ETAG, stored.etag());
        }
        return builder.build();
    }

    private static String scope(RoutingContext rc) {
        TenantRef tenant = CallContext.tenantOf(rc);
        return tenant == null ? "_platform" : tenant.id().toString();
    }

    /**
     * The caller's idempotency namespace, prefixed by the kind of principal so that no two kinds can collide (an API
     * key made by a user is not that user); null for a caller without a credential, who gets no idempotency.
     */
    static String namespace(Principal principal) {
        if (principal instanceof JsonWebToken jwt) {
            return jwt.getSubject() == null || jwt.getSubject().isBlank() ? null : "user:" + jwt.getSubject();
        }
        if (principal instanceof TenantBoundPrincipal bound) {
            return bound.namespace();
        }
        if (principal == null || principal.getName() == null || principal.getName().isBlank()) {
            return null;
        }
        return "principal:" + principal.getClass().getSimpleName() + ":" + principal.getName();
    }

    private static boolean issuesCredentials(ResourceInfo resource) {
        return resource != null && resource.getResourceMethod() != null
                && resource.getResourceMethod().isAnnotationPresent(IssuesCredentials.class);
    }

    private static byte[] readBody(ContainerRequestContext request) {
        if (!request.hasEntity()) {
            return new byte[0];
        }
        try {
            byte[] bytes = request.getEntityStream().readAllBytes();
            request.setEntityStream(new ByteArrayInputStream(bytes));
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Claim(String storeKey, String fingerprint) {
    }
}
