package io.rimedata.execution;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the external runner API. */
@ConfigMapping(prefix = "rime.runners")
public interface RunnerConfig {

    /** How long a lease lasts without a heartbeat before the job is offered again. */
    @WithDefault("60s")
    Duration leaseDuration();

    /** How long a job waits for a runner before it fails. */
    @WithDefault("10m")
    Duration jobDeadline();

    /** Leases a job may have (expired leases count) before it fails. */
    @WithDefault("3")
    int maxAttempts();

    /** How often expired deadlines are swept. */
    @WithDefault("15s")
    Duration sweepInterval();

    /** Whether this replica sweeps (tests drive it themselves). */
    @WithDefault("true")
    boolean sweeperEnabled();
}
