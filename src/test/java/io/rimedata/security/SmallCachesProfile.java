package io.rimedata.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Caches keyed by caller input bounded low enough to overflow in a test. */
public class SmallCachesProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "rime.platform.tenant-cache-max-entries", "25",
                "rime.identity.api-key-cache-max-entries", "25");
    }
}
