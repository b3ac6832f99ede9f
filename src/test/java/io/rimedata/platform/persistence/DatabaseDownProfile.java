package io.rimedata.platform.persistence;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Requests reach a PostgreSQL that refuses connections (migrations still run on the real one over JDBC). */
public class DatabaseDownProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:1/rime_test");
    }
}
