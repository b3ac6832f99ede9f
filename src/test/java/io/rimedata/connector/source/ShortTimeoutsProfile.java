package io.rimedata.connector.source;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Connection tests give up after 2 s, so the timeout paths are quick to show. */
public class ShortTimeoutsProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rime.connectors.test-timeout", "2s", "rime.connectors.discovery-timeout", "2s");
    }
}
