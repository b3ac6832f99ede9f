package io.rimedata.platform.ratelimit;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.rimedata.platform.error.ErrorMappers;
import io.rimedata.platform.error.RateLimited;
import io.rimedata.platform.error.TokenFailures;
import io.rimedata.platform.error.Unauthorized;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The 401 of a protected operation. Quarkus checks roles before the request gate runs, so a caller without a valid
 * credential is refused here: it is charged to the bucket of its client address (never its target tenant's), and
 * once that is empty it gets 429 instead of learning anything more.
 */
public class UnauthenticatedCallers {

    private final RequestGate gate;
    private final CurrentVertxRequest currentRequest;

    UnauthenticatedCallers(RequestGate gate, CurrentVertxRequest currentRequest) {
        this.gate = gate;
        this.currentRequest = currentRequest;
    }

    /** A bearer token was presented and refused (expired, tampered, unknown, another tenant's). */
    @ServerExceptionMapper
    public Uni<Response> invalidCredential(AuthenticationFailedException e) {
        return refuse(TokenFailures.unauthorized(e));
    }

    /** No credentials were sent. */
    @ServerExceptionMapper
    public Uni<Response> anonymous(UnauthorizedException e) {
        return refuse(new Unauthorized("Authentication is required: send a valid Bearer token."));
    }

    private Uni<Response> refuse(Unauthorized unauthorized) {
        RoutingContext rc = currentRequest.getCurrent();
        if (rc == null) {
            return Uni.createFrom().item(ErrorMappers.of(null, unauthorized));
        }
        return gate.chargeUnauthenticated(rc)
                .map(v -> ErrorMappers.of(rc, unauthorized))
                .onFailure(RateLimited.class).recoverWithItem(limited -> ErrorMappers.of(rc, (RateLimited) limited));
    }
}
