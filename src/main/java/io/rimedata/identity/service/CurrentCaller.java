package io.rimedata.identity.service;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.rimedata.identity.Caller;
import io.rimedata.identity.Role;
import io.rimedata.identity.apikey.ApiKeyPrincipal;
import io.rimedata.platform.error.Unauthorized;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Reads the {@link Caller} out of the verified access token of the current request. */
@RequestScoped
public class CurrentCaller {

    private final SecurityIdentity identity;
    private final CurrentIdentityAssociation identities;

    CurrentCaller(SecurityIdentity identity, CurrentIdentityAssociation identities) {
        this.identity = identity;
        this.identities = identities;
    }

    public Caller get() {
        return callerOf(identity)
                .orElseThrow(() -> new Unauthorized("Authentication is required: send a valid Bearer token."));
    }

    /**
     * The caller, or empty when the request is anonymous. Unlike {@link #get()} it is safe on routes whose
     * security check does not resolve the identity ({@code @PermitAll}), where reading it directly would block.
     */
    public Uni<Optional<Caller>> find() {
        return identities.getDeferredIdentity().map(CurrentCaller::callerOf);
    }

    private static Optional<Caller> callerOf(SecurityIdentity identity) {
        if (identity == null) {
            return Optional.empty();
        }
        if (identity.getPrincipal() instanceof ApiKeyPrincipal key) {
            return Optional.of(new Caller(key.createdBy(), key.role(), null, key.keyId(), key.projectId()));
        }
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Optional.empty();
        }
        Role role = Role.parse(jwt.getClaim("role")).orElseThrow(() -> new Unauthorized("The token carries no valid role."));
        String sid = jwt.getClaim("sid");
        return Optional.of(Caller.user(UUID.fromString(jwt.getSubject()), role, sid == null ? null : UUID.fromString(sid)));
    }
}
