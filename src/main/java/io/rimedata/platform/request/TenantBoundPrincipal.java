package io.rimedata.platform.request;

import java.util.UUID;

/**
 * A principal that is not a JWT but still belongs to one tenant (an API key, a runner); the request gate refuses it on
 * any other tenant's host.
 */
public interface TenantBoundPrincipal extends java.security.Principal {

    UUID tenantId();

    /** The revocation marker the gate checks in Redis on every request, or null. */
    String revocationKey();
}
