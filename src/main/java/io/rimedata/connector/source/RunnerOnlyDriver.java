package io.rimedata.connector.source;

import io.rimedata.platform.error.Unprocessable;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;

/**
 * Types this server cannot reach itself (SaaS APIs, other databases): their work is for external runners, whose API
 * does not exist yet, so tests report it plainly and discovery is refused.
 */
final class RunnerOnlyDriver implements SourceDriver {

    static final RunnerOnlyDriver INSTANCE = new RunnerOnlyDriver();

    @Override
    public boolean serves(String type) {
        return true;
    }

    @Override
    public Uni<ConnectionTest> test(SourceSpec spec, Duration timeout) {
        String message = "A " + spec.type() + " connector is reached by an external runner, and no runner is registered.";
        return Uni.createFrom().item(ConnectionTest.of(List.of(
                ConnectionTest.Check.skipped("reachability", message),
                ConnectionTest.Check.skipped("authentication", message),
                ConnectionTest.Check.skipped("read_permission", message)), 0));
    }

    @Override
    public Uni<DiscoveredSchema> discover(SourceSpec spec, Duration timeout) {
        return Uni.createFrom().failure(new Unprocessable("Schema discovery for " + spec.type()
                + " connectors needs an external runner, and no runner is registered."));
    }
}
