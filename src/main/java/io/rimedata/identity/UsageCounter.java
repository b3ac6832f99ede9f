package io.rimedata.identity;

import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * Counts the rows of one capped resource. A context declares its cap by adding a {@link Limit} and one bean of this
 * type; {@code Quotas} and the tenant's usage report find it on their own.
 */
public interface UsageCounter {

    Limit limit();

    /** Current count, within the caller's session; {@code projectId} is null for tenant-wide limits. */
    Uni<Long> count(TenantRef tenant, UUID projectId);
}
