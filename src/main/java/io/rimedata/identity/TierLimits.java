package io.rimedata.identity;

import io.smallrye.config.ConfigMapping;
import java.util.Map;

/** Caps per licence tier (§2.4); a negative value means unlimited. */
@ConfigMapping(prefix = "rime.tiers")
public interface TierLimits {

    /** Per tier name ({@code free}, {@code small_business}, {@code business}, {@code business_critical}). */
    Map<String, Tier> caps();

    interface Tier {
        /** Projects per tenant. */
        int projects();

        /** Users per tenant, invited ones included. */
        int users();

        /** Connectors per project. */
        int connectorsPerProject();

        /** Pipelines per project. */
        int pipelinesPerProject();
    }
}
