package io.rimedata.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the audit log. */
@ConfigMapping(prefix = "rime.audit")
public interface AuditConfig {

    Relay relay();

    /** The relay that moves committed entries from the outbox into the audit log. */
    interface Relay {

        /** Whether this replica runs the relay; every replica may, they share the work row by row. */
        @WithDefault("true")
        boolean enabled();

        /** How often the relay looks for entries, besides right after each request that wrote one. */
        @WithDefault("500ms")
        Duration interval();

        /** Entries moved per transaction. */
        @WithDefault("100")
        int batchSize();

        /** Failed attempts after which an entry stays in the outbox for an operator instead of being retried. */
        @WithDefault("10")
        int maxAttempts();
    }
}
