package io.rimedata.identity.apikey;

import io.rimedata.identity.Role;
import java.security.Principal;
import java.time.Instant;
import java.util.UUID;

/** The principal of a request authenticated with an API key. */
public record ApiKeyPrincipal(UUID keyId, UUID tenantId, UUID projectId, Role role, UUID createdBy, Instant expiresAt)
        implements Principal {

    @Override
    public String getName() {
        return keyId.toString();
    }
}
