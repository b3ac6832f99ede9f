package io.rimedata.connector;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of connection tests and schema discovery. */
@ConfigMapping(prefix = "rime.connectors")
public interface ConnectorConfig {

    /** Bound on a whole connection test; each check also fails on its own within this time. */
    @WithDefault("10s")
    Duration testTimeout();

    /** Bound on one schema discovery. */
    @WithDefault("30s")
    Duration discoveryTimeout();
}
