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

    /**
     * A name no principal of another kind can share ({@code api-key:<id>}, {@code runner:<id>}); state kept per caller,
     * such as idempotency records, lives under it.
     */
    String namespace();
}
