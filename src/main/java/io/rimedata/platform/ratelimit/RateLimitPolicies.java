package io.rimedata.platform.ratelimit;

import io.rimedata.platform.config.PlatformConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Resolves the bucket policy of an endpoint: a per-route override, else its class, scaled by the tenant's tier. */
@ApplicationScoped
public class RateLimitPolicies {

    /** Capacity and refill actually applied. */
    public record Bucket(int capacity, double refillPerSecond) {
        /** The window, in seconds, over which an empty bucket refills completely. */
        public long windowSeconds() {
            return Math.max(1, Math.round(capacity / refillPerSecond));
        }
    }

    private final PlatformConfig.RateLimits config;

    RateLimitPolicies(PlatformConfig config) {
        this.config = config.rateLimits();
    }

    public Bucket forEndpoint(String endpoint, EndpointClass endpointClass, String tier) {
        PlatformConfig.Policy policy = config.routes().get(endpoint);
        if (policy == null) {
            policy = config.classes().get(endpointClass.key());
        }
        if (policy == null) {
            throw new IllegalStateException("No rate limit policy for class " + endpointClass.key());
        }
        double multiplier = tier == null ? 1.0 : config.tierMultipliers().getOrDefault(tier, 1.0);
        return new Bucket(Math.max(1, (int) Math.round(policy.capacity() * multiplier)),
                policy.refillPerSecond() * multiplier);
    }

    public Bucket perIp() {
        return new Bucket(config.perIp().capacity(), config.perIp().refillPerSecond());
    }

    Map<String, PlatformConfig.Policy> overrides() {
        return config.routes();
    }
}
