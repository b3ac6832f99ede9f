package io.rimedata.platform.cluster;

import io.rimedata.platform.config.PlatformConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * The name this process gives itself (configured, else host name, process id and a random suffix) in the leases it holds on background work (pipeline steps, syncs), so other
 * replicas can tell its work from theirs and take it over when its leases run out.
 */
@ApplicationScoped
public class Replica {

    private final String id;

    Replica(PlatformConfig config) {
        // pod names are unique in Kubernetes; the process id keeps two processes on one host apart
        String host = System.getenv().getOrDefault("HOSTNAME", "replica");
        this.id = config.replicaId().filter(s -> !s.isBlank())
                .orElse(host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    public String id() {
        return id;
    }
}
