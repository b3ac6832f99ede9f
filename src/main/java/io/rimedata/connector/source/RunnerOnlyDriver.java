package io.rimedata.connector.source;

import io.rimedata.platform.error.Unprocessable;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;

/**
 * Types this server cannot reach itself (SaaS APIs, other databases): their work is for external runners. Connection
 * tests and syncs become runner jobs before a driver is asked (see {@code SourceService} and {@code SyncRunner}); this
 * driver answers only what is left, and refuses discovery, which runners do not offer yet.
 */
final class RunnerOnlyDriver implements SourceDriver {

    static final RunnerOnlyDriver INSTANCE = new RunnerOnlyDriver();

    @Override
    public boolean serves(String type) {
        return true;
    }

    @Override
    public Uni<ConnectionTest> test(SourceSpec spec, Duration timeout) {
        String message = "A " + spec.type() + " connector is reached by an external runner.";
        return Uni.createFrom().item(ConnectionTest.of(List.of(
                ConnectionTest.Check.skipped("reachability", message),
                ConnectionTest.Check.skipped("authentication", message),
                ConnectionTest.Check.skipped("read_permission", message)), 0));
    }

    @Override
    public Uni<DiscoveredSchema> discover(SourceSpec spec, Duration timeout) {
        return Uni.createFrom().failure(new Unprocessable("Schema discovery for " + spec.type()
                + " connectors is not offered: this server cannot reach them, and runners do not discover schemas yet."));
    }
}
