package io.rimedata.execution;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the pipeline orchestrator (§7.2, §7.4). */
@ConfigMapping(prefix = "rime.orchestrator")
public interface OrchestratorConfig {

    /** Most steps of one run executing at once; independent branches beyond it wait for a slot. */
    @WithDefault("8")
    int maxParallelStepsPerRun();

    /** How long a replica's claim on a running step lasts without renewal; another replica takes over after it. */
    @WithDefault("30s")
    Duration leaseDuration();

    /** How often a replica renews the leases of the steps it executes (well below the lease duration). */
    @WithDefault("10s")
    Duration leaseRenewInterval();

    /** How often this replica looks for expired leases, overdue steps, due retries and startable queued runs. */
    @WithDefault("2s")
    Duration sweepInterval();

    /** Whether this replica sweeps (every replica may; each piece of work is claimed under the run's lock). */
    @WithDefault("true")
    boolean sweeperEnabled();

    /** Times a step may be taken over after its replica vanished before it fails instead. */
    @WithDefault("3")
    int maxTakeovers();

    /** How often an extract step looks at the connector run it follows. */
    @WithDefault("500ms")
    Duration extractPollInterval();
}
