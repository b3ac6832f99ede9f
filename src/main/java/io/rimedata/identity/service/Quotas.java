package io.rimedata.identity.service;

import io.rimedata.identity.Limit;
import io.rimedata.identity.TierLimits;
import io.rimedata.identity.UsageCounter;
import io.quarkus.arc.All;
import io.rimedata.platform.error.Forbidden;
import io.rimedata.platform.tenancy.Tenants;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.EnumMap;
import java.util.List;
import java.util.UUID;

/**
 * Enforces tier caps. Runs inside the caller's transaction and locks the tenant row first, so two concurrent creates
 * cannot both squeeze under the cap.
 */
@ApplicationScoped
public class Quotas {

    private final TierLimits limits;
    private final Map<Limit, UsageCounter> counters = new EnumMap<>(Limit.class);

    private final Tenants tenants;

    Quotas(TierLimits limits, @All List<UsageCounter> counters, Tenants tenants) {
        this.limits = limits;
        this.tenants = tenants;
        counters.forEach(counter -> this.counters.put(counter.limit(), counter));
    }

    /** Fails with 403 naming the limit when one more {@code limit} resource would exceed the tenant's tier. */
    public Uni<Void> require(TenantRef tenant, Limit limit) {
        return require(tenant, limit, null);
    }

    /** The same for a per-project limit. */
    public Uni<Void> require(TenantRef tenant, Limit limit, UUID projectId) {
        UsageCounter counter = counters.get(limit);
        if (counter == null) {
            throw new IllegalStateException("No usage counter declared for " + limit);
        }
        return tenants.lock(tenant).chain(locked -> {
            int cap = capOf(locked.tier, limit);
            if (cap < 0) {
                return Uni.createFrom().voidItem();
            }
            return counter.count(tenant, projectId).invoke(count -> {
                if (count >= cap) {
                    throw new Forbidden("The " + locked.tier + " tier allows at most " + cap + " "
                            + limit.wireName().replace('_', ' ') + " (limit: " + limit.wireName() + ").");
                }
            }).replaceWithVoid();
        });
    }

    /** Current usage of every tenant-wide limit, keyed by limit name (within the caller's session). */
    public Uni<Map<String, Long>> usage(TenantRef tenant) {
        Uni<Map<String, Long>> usage = Uni.createFrom().item(new LinkedHashMap<>());
        for (UsageCounter counter : counters.values()) {
            if (counter.limit().perProject()) {
                continue;
            }
            // one session: count sequentially, never in parallel
            usage = usage.chain(map -> counter.count(tenant, null).map(n -> {
                map.put(counter.limit().wireName(), n);
                return map;
            }));
        }
        return usage;
    }

    /** The caps of a tier, keyed by limit name; -1 is unlimited. */
    public Map<String, Integer> capsOf(String tier) {
        Map<String, Integer> caps = new LinkedHashMap<>();
        for (Limit limit : Limit.values()) {
            caps.put(limit.wireName(), capOf(tier, limit));
        }
        return caps;
    }

    private int capOf(String tier, Limit limit) {
        TierLimits.Tier caps = limits.caps().get(tier);
        if (caps == null) {
            throw new IllegalStateException("No caps configured for tier " + tier);
        }
        return limit.capOf(caps);
    }

}
