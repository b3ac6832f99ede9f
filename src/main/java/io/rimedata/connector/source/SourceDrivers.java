package io.rimedata.connector.source;

import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Picks the driver of a connector type; types without one are for external runners. */
@ApplicationScoped
public class SourceDrivers {

    private final List<SourceDriver> drivers;

    SourceDrivers(@All List<SourceDriver> drivers) {
        this.drivers = drivers;
    }

    /** Whether this server reaches sources of this type itself; the others are for external runners. */
    public boolean reachable(String type) {
        return drivers.stream().anyMatch(d -> d.serves(type));
    }

    public SourceDriver of(String type) {
        return drivers.stream().filter(d -> d.serves(type)).findFirst().orElse(RunnerOnlyDriver.INSTANCE);
    }
}
