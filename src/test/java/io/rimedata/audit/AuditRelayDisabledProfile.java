package io.rimedata.audit;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The relay is down: entries are written to the outbox and wait there. */
public class AuditRelayDisabledProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("rime.audit.relay.enabled", "false");
    }
}
