package io.rimedata.connector.source;

import io.smallrye.mutiny.Uni;
import java.time.Duration;

/** Reaches one kind of source from this server: connection tests and schema discovery. */
public interface SourceDriver {

    /** Whether this driver serves the connector type. */
    boolean serves(String type);

    Uni<ConnectionTest> test(SourceSpec spec, Duration timeout);

    Uni<DiscoveredSchema> discover(SourceSpec spec, Duration timeout);
}
