package io.rimedata.execution.rest;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.rimedata.execution.RunnerPrincipal;
import io.rimedata.execution.service.RunnerService;
import io.rimedata.platform.request.CallContext;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** Authenticates {@code Authorization: Bearer rnr_…} runner tokens, ahead of the JWT mechanism. */
@ApplicationScoped
public class RunnerAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";

    private final RunnerService runners;

    RunnerAuthenticationMechanism(RunnerService runners) {
        this.runners = runners;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext rc, IdentityProviderManager identityProviderManager) {
        String header = rc.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().nullItem();
        }
        String token = header.substring(BEARER.length()).trim();
        if (!token.startsWith(RunnerService.PREFIX)) {
            return Uni.createFrom().nullItem();
        }
        TenantRef tenant = CallContext.tenantOf(rc);
        if (tenant == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        return runners.authenticate(tenant, token).map(principal -> {
            if (principal == null) {
                throw new AuthenticationFailedException();
            }
            return (SecurityIdentity) QuarkusSecurityIdentity.builder().setPrincipal(principal).addRole(RunnerPrincipal.ROLE).build();
        });
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 90;
    }
}
