package io.rimedata.identity;

import java.util.function.ToIntFunction;

/**
 * A capped resource. A context that wants its resource capped by tier declares it here and calls
 * {@code Quotas.require(...)} before creating one; nothing else is needed.
 */
public enum Limit {
    PROJECTS("projects", TierLimits.Tier::projects),
    USERS("users", TierLimits.Tier::users),
    CONNECTORS_PER_PROJECT("connectors_per_project", TierLimits.Tier::connectorsPerProject),
    PIPELINES_PER_PROJECT("pipelines_per_project", TierLimits.Tier::pipelinesPerProject);

    private final String wireName;
    private final ToIntFunction<TierLimits.Tier> cap;

    Limit(String wireName, ToIntFunction<TierLimits.Tier> cap) {
        this.wireName = wireName;
        this.cap = cap;
    }

    public String wireName() {
        return wireName;
    }

    public boolean perProject() {
        return wireName.endsWith("_per_project");
    }

    public int capOf(TierLimits.Tier tier) {
        return cap.applyAsInt(tier);
    }
}
