package io.rimedata.identity.apikey;

import io.rimedata.identity.Role;
import io.rimedata.identity.token.Revocations;
import io.rimedata.platform.request.TenantBoundPrincipal;
import java.time.Instant;
import java.util.UUID;

/** The principal of a request authenticated with an API key. */
public record ApiKeyPrincipal(UUID keyId, UUID tenantId, UUID projectId, Role role, UUID createdBy, Instant expiresAt)
        implements TenantBoundPrincipal {

    @Override
    public String getName() {
        return keyId.toString();
    }

    @Override
    public String revocationKey() {
        return Revocations.apiKeyKey(keyId.toString());
    }

    @Override
    public String namespace() {
        return "api-key:" + keyId;
    }
}
