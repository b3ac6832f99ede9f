package io.rimedata.identity.apikey;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.rimedata.identity.service.ApiKeyService;
import io.rimedata.identity.token.PrefixedTokenMechanism;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Authenticates {@code Authorization: Bearer rk_…} API keys. */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism extends PrefixedTokenMechanism {

    private final ApiKeyService keys;

    ApiKeyAuthenticationMechanism(ApiKeyService keys) {
        this.keys = keys;
    }

    @Override
    protected String prefix() {
        return ApiKeyService.PREFIX;
    }

    @Override
    protected Uni<SecurityIdentity> identify(TenantRef tenant, String token) {
        return keys.authenticate(tenant, token).map(principal -> principal == null ? null
                : QuarkusSecurityIdentity.builder().setPrincipal(principal).addRoles(principal.role().groups()).build());
    }
}
