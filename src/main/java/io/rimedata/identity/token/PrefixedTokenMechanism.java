package io.rimedata.identity.token;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.rimedata.platform.request.CallContext;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Base of the mechanisms for opaque bearer tokens recognised by their prefix (API keys {@code rk_}, runner tokens
 * {@code rnr_}). Tokens with another prefix are left to the next mechanism, JWTs last.
 */
public abstract class PrefixedTokenMechanism extends BearerMechanism {

    /** The prefix this mechanism owns. */
    protected abstract String prefix();

    /** The identity of a presented token on this tenant's host, or null when the token is not valid here. */
    protected abstract Uni<SecurityIdentity> identify(TenantRef tenant, String token);

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext rc, IdentityProviderManager identityProviderManager) {
        String token = bearerToken(rc);
        if (token == null || !token.startsWith(prefix())) {
            return Uni.createFrom().nullItem();
        }
        TenantRef tenant = CallContext.tenantOf(rc);
        if (tenant == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        return identify(tenant, token).map(identity -> {
            if (identity == null) {
                throw new AuthenticationFailedException();
            }
            return identity;
        });
    }

    /** Ahead of the JWT mechanism, which would reject these tokens outright. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }
}
