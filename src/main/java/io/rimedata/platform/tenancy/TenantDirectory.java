package io.rimedata.platform.tenancy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rimedata.platform.config.PlatformConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Host → tenant lookups, cached per replica for a short TTL because every request needs one. A tenant
 * created on this replica is visible at once; elsewhere within the TTL (negative answers expire sooner). The key is
 * whatever a caller puts in {@code Host}, so the cache is bounded and evicts: a flood of made-up hosts cannot grow it.
 */
@ApplicationScoped
public class TenantDirectory {

    private static final long NEGATIVE_TTL_NANOS = 2_000_000_000L;

    private final TenantRepository tenants;
    private final Cache<String, Optional<TenantRef>> cache;

    TenantDirectory(TenantRepository tenants, PlatformConfig config, MeterRegistry registry) {
        this.tenants = tenants;
        long ttlNanos = config.tenantCacheTtl().toNanos();
        long negativeNanos = Math.min(ttlNanos, NEGATIVE_TTL_NANOS);
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.tenantCacheMaxEntries())
                .expireAfter(new Expiry<String, Optional<TenantRef>>() {
                    @Override
                    public long expireAfterCreate(String host, Optional<TenantRef> tenant, long now) {
                        return tenant.isPresent() ? ttlNanos : negativeNanos;
                    }

                    @Override
                    public long expireAfterUpdate(String host, Optional<TenantRef> tenant, long now, long left) {
                        return expireAfterCreate(host, tenant, now);
                    }

                    @Override
                    public long expireAfterRead(String host, Optional<TenantRef> tenant, long now, long left) {
                        return left;
                    }
                })
                .executor(Runnable::run)
                .build();
        Gauge.builder("rime.cache.entries", cache, TenantDirectory::entries).tag("cache", "tenant-by-host")
                .description("Entries held by a per-replica cache").register(registry);
    }

    /** The active tenant with this subdomain, if any. */
    public Uni<Optional<TenantRef>> resolve(String subdomain) {
        Optional<TenantRef> cached = cache.getIfPresent(subdomain);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return tenants.findBySubdomain(subdomain).map(tenant -> {
            Optional<TenantRef> found = tenant != null && "active".equals(tenant.status)
                    ? Optional.of(TenantRef.of(tenant)) : Optional.empty();
            cache.put(subdomain, found);
            return found;
        });
    }

    public void invalidate(String subdomain) {
        cache.invalidate(subdomain);
    }

    /** Entries held now, after pending evictions. */
    static double entries(Cache<?, ?> cache) {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
