package io.rimedata.platform.egress;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.util.List;

/**
 * The operating system's resolver (hosts file, DNS search domains), called on a small pool of its own: lookups block,
 * and slow ones must not starve the worker pool that password hashing and file reads share.
 */
@ApplicationScoped
public class SystemResolver implements EgressResolver {

    private final WorkerExecutor lookups;

    SystemResolver(Vertx vertx) {
        this.lookups = vertx.createSharedWorkerExecutor("rime-egress-dns", 8);
    }

    @PreDestroy
    void close() {
        lookups.closeAndForget();
    }

    @Override
    public Uni<List<InetAddress>> resolve(String name) {
        return lookups.executeBlocking(() -> List.of(InetAddress.getAllByName(name)), false);
    }
}
