package io.rimedata.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rimedata.support.Api;
import io.rimedata.support.TestTenant;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** A flood of distinct made-up hosts or API keys cannot grow the per-replica lookup caches past their bound. */
@QuarkusTest
@TestProfile(SmallCachesProfile.class)
class CallerKeyedCachesTest {

    @Inject
    MeterRegistry registry;

    @Test
    void floodOfUnknownHostsStaysWithinTheTenantCacheBound() {
        for (int i = 0; i < 150; i++) {
            assertEquals(404, Api.tenant("nosuch" + i + "x" + Api.randomId().substring(0, 8)).get("/projects").statusCode());
        }
        double entries = entries("tenant-by-host");
        assertTrue(entries > 0 && entries <= 25, "tenant cache holds " + entries);
    }

    @Test
    void floodOfUnknownApiKeysStaysWithinTheApiKeyCacheBound() {
        TestTenant t = Api.newTenantWithoutLogin();
        for (int i = 0; i < 150; i++) {
            assertEquals(401, Api.tenant(t.subdomain()).header("Authorization", "Bearer rk_unknown" + i + Api.randomId())
                    .get("/projects").statusCode());
        }
        double entries = entries("api-keys");
        assertTrue(entries > 0 && entries <= 25, "API-key cache holds " + entries);
    }

    private double entries(String cache) {
        return registry.get("rime.cache.entries").tag("cache", cache).gauge().value();
    }
}
