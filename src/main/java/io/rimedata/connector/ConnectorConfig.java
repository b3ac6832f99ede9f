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

    /** Where uploaded files (and, later, staged extracts) are kept: a persistent volume in production. */
    String dataDir();

    /** Largest file accepted by {@code POST …/upload}, in bytes. */
    @WithDefault("104857600")
    long uploadMaxBytes();

    /** Records read to test a file or infer its column types. */
    @WithDefault("10000")
    int sampleRecords();

    /** Whether this replica fires connector schedules (every replica may; each fire starts one run). */
    @WithDefault("true")
    boolean schedulerEnabled();

    /** How often this replica looks for due schedule fires. */
    @WithDefault("15s")
    Duration schedulerInterval();

    /** Bound on one schema discovery. */
    @WithDefault("30s")
    Duration discoveryTimeout();

    /** How long a replica's claim on a running sync lasts without renewal; another replica's sweep ends it after. */
    @WithDefault("60s")
    Duration runLeaseDuration();

    /** How often a replica renews the leases of the syncs it runs, and sweeps for syncs whose lease ran out. */
    @WithDefault("15s")
    Duration runLeaseInterval();
}
