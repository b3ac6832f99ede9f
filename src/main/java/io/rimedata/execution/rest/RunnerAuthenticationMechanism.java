package io.rimedata.execution.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.rimedata.execution.RunnerPrincipal;
import io.rimedata.execution.service.RunnerService;
import io.rimedata.identity.token.PrefixedTokenMechanism;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Authenticates {@code Authorization: Bearer rnr_…} runner tokens. */
@ApplicationScoped
public class RunnerAuthenticationMechanism extends PrefixedTokenMechanism {

    private final RunnerService runners;

    RunnerAuthenticationMechanism(RunnerService runners) {
        this.runners = runners;
    }

    @Override
    protected String prefix() {
        return RunnerService.PREFIX;
    }

    @Override
    protected Uni<SecurityIdentity> identify(TenantRef tenant, String token) {
        return runners.authenticate(tenant, token).map(principal -> principal == null ? null
                : QuarkusSecurityIdentity.builder().setPrincipal(principal).addRole(RunnerPrincipal.ROLE).build());
    }
}
