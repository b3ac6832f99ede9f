package io.rimedata.identity.rest;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A deployment without an operator credential. */
public class NoOperatorTokenProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rime.platform.operator-token", "");
    }
}
