package io.rimedata.platform.ratelimit;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Buckets small enough to exhaust in a test, with refill slow enough not to interfere. */
public class SmallBucketsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "rime.platform.rate-limits.classes.read.capacity", "50",
                "rime.platform.rate-limits.classes.read.refill-per-second", "0.001",
                "rime.platform.rate-limits.tier-multipliers.business_critical", "1",
                "rime.platform.rate-limits.per-ip.capacity", "30",
                "rime.platform.rate-limits.per-ip.refill-per-second", "0.001",
                // on a loaded machine a slow reply must not be taken for an outage (which fails open)
                "rime.platform.rate-limits.redis-timeout", "10s");
    }
}
