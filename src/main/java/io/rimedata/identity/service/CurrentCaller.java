package io.rimedata.identity.service;

import io.quarkus.security.identity.SecurityIdentity;
import io.rimedata.identity.Caller;
import io.rimedata.identity.Role;
import io.rimedata.identity.apikey.ApiKeyPrincipal;
import io.rimedata.platform.error.Unauthorized;
import jakarta.enterprise.context.RequestScoped;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Reads the {@link Caller} out of the verified access token of the current request. */
@RequestScoped
public class CurrentCaller {

    private final SecurityIdentity identity;

    CurrentCaller(SecurityIdentity identity) {
        this.identity = identity;
    }

    public Caller get() {
        if (identity.getPrincipal() instanceof ApiKeyPrincipal key) {
            return new Caller(key.createdBy(), key.role(), null, key.keyId(), key.projectId());
        }
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            throw new Unauthorized("Authentication is required: send a valid Bearer token.");
        }
        Role role = Role.parse(jwt.getClaim("role")).orElseThrow(() -> new Unauthorized("The token carries no valid role."));
        String sid = jwt.getClaim("sid");
        return Caller.user(UUID.fromString(jwt.getSubject()), role, sid == null ? null : UUID.fromString(sid));
    }
}
