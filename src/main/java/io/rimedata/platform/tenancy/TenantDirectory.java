package io.rimedata.platform.tenancy;

import io.rimedata.platform.config.PlatformConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Host → tenant lookups, cached per replica for a short TTL because every request needs one. A tenant
 * created on this replica is visible at once; elsewhere within the TTL (negative answers expire sooner).
 */
@ApplicationScoped
public class TenantDirectory {

    private record Entry(Optional<TenantRef> tenant, long expiresAt) {
    }

    private static final long NEGATIVE_TTL_NANOS = 2_000_000_000L;

    private final TenantRepository tenants;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    TenantDirectory(TenantRepository tenants, PlatformConfig config) {
        this.tenants = tenants;
        this.ttlNanos = config.tenantCacheTtl().toNanos();
    }

    /** The active tenant with this subdomain, if any. */
    public Uni<Optional<TenantRef>> resolve(String subdomain) {
        Entry cached = cache.get(subdomain);
        long now = System.nanoTime();
        if (cached != null && now - cached.expiresAt < 0) {
            return Uni.createFrom().item(cached.tenant);
        }
        return tenants.findBySubdomain(subdomain).map(tenant -> {
            Optional<TenantRef> found = tenant != null && "active".equals(tenant.status)
                    ? Optional.of(TenantRef.of(tenant)) : Optional.empty();
            long ttl = found.isPresent() ? ttlNanos : Math.min(ttlNanos, NEGATIVE_TTL_NANOS);
            cache.put(subdomain, new Entry(found, System.nanoTime() + ttl));
            return found;
        });
    }

    public void invalidate(String subdomain) {
        cache.remove(subdomain);
    }
}
