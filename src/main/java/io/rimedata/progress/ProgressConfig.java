package io.rimedata.progress;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of live run progress (§9). */
@ConfigMapping(prefix = "rime.progress")
public interface ProgressConfig {

    /** Redis channel every replica publishes run events to and subscribes to. */
    @WithDefault("rime:run-events")
    String channel();

    /** Messages a watcher may have waiting before it is sent a fresh snapshot instead (then 1013 if it happens again). */
    @WithDefault("1024")
    int queueLimit();

    /** From this many waiting messages on, consecutive progress of one step is coalesced (latest wins). */
    @WithDefault("64")
    int coalesceAbove();

    /** A watcher falling behind twice within this time is closed with 1013 rather than sent another snapshot. */
    @WithDefault("30s")
    Duration overflowWindow();

    /** {@code since_seq} older than this many events gets a fresh snapshot instead of a replay. */
    @WithDefault("1000")
    int replayLimit();

    /** How often watched runs are checked against the event log while Redis delivers (a safety net). */
    @WithDefault("5s")
    Duration safetyPollInterval();

    /** How often watched runs are read from the event log while Redis is unreachable. */
    @WithDefault("250ms")
    Duration fallbackPollInterval();

    /** How often a replica that lost its Redis subscription tries to subscribe again. */
    @WithDefault("2s")
    Duration resubscribeInterval();
}
