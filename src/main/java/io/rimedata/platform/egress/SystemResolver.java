package io.rimedata.platform.egress;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.util.List;

/** The operating system's resolver (hosts file, DNS search domains), called on a worker thread. */
@ApplicationScoped
public class SystemResolver implements EgressResolver {

    private final Vertx vertx;

    SystemResolver(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public Uni<List<InetAddress>> resolve(String name) {
        // the lookup blocks; ordered=false lets lookups of different requests run side by side
        return vertx.executeBlocking(() -> List.of(InetAddress.getAllByName(name)), false);
    }
}
