package io.rimedata.pipeline;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of pipeline schedules. */
@ConfigMapping(prefix = "rime.pipelines")
public interface PipelineConfig {

    /** Whether this replica fires pipeline schedules (every replica may; each fire starts one run). */
    @WithDefault("true")
    boolean schedulerEnabled();

    /** How often this replica looks for due schedule fires. */
    @WithDefault("15s")
    Duration schedulerInterval();
}
