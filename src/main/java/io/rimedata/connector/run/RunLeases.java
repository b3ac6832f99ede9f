package io.rimedata.connector.run;

import io.rimedata.platform.background.Background;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.rimedata.connector.ConnectorConfig;
import io.rimedata.connector.repository.ConnectorRunLeases;
import io.rimedata.connector.repository.ConnectorRunRepository;
import io.rimedata.platform.cluster.Replica;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.platform.tenancy.Tenants;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Syncs run under a lease: the replica running one renews it, and every replica's sweep ends a sync whose lease ran
 * out (its replica died) as {@code failed}, so no run stays {@code running} forever and the connector can sync again.
 */
@ApplicationScoped
public class RunLeases {

    private static final Logger LOG = Logger.getLogger(RunLeases.class);
    static final String STOPPED = "The server running this sync stopped before it finished; start it again.";

    private final Set<UUID> local = ConcurrentHashMap.newKeySet();
    private final Replica replica;
    private final ConnectorConfig config;
    private final ConnectorRunLeases leases;
    private final ConnectorRunRepository runs;
    private final RunRecorder recorder;
    private final Tenants tenants;
    private final Background background;

    RunLeases(Replica replica, ConnectorConfig config, ConnectorRunLeases leases, ConnectorRunRepository runs,
            RunRecorder recorder, Tenants tenants, Background background) {
        this.replica = replica;
        this.config = config;
        this.leases = leases;
        this.runs = runs;
        this.recorder = recorder;
        this.tenants = tenants;
        this.background = background;
    }

    void start(@Observes StartupEvent event) {
        background.every(config.runLeaseInterval(), "Sync lease upkeep", () -> renew().chain(() -> sweep(Instant.now())));
    }

    /** The owner and expiry a sync starting on this replica records. */
    public String owner() {
        return replica.id();
    }

    public Instant expiry() {
        return Instant.now().plus(config.runLeaseDuration()).truncatedTo(ChronoUnit.MILLIS);
    }

    void held(UUID runId) {
        local.add(runId);
    }

    void released(UUID runId) {
        local.remove(runId);
    }

    private Uni<Void> renew() {
        if (local.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<UUID> ids = new ArrayList<>(local);
        // cross-tenant: this replica's own runs, by id
        return DatabaseScope.forPlatform(() -> Panache.withTransaction(() -> leases.renew(owner(), ids, expiry()))).replaceWithVoid();
    }

    /** Ends every sync whose lease ran out before {@code now}; answers how many. */
    public Uni<Integer> sweep(Instant now) {
        // cross-tenant: which runs of any tenant lost their replica; each is then ended in its tenant's scope
        return DatabaseScope.forPlatform(() -> Panache.withSession(() -> leases.expired(now, 100))).chain(expired -> {
            if (expired.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            return Panache.withSession(() -> tenants.refs(expired.stream().map(ConnectorRunLeases.Expired::tenantId).toList()))
                    .chain(refs -> Multi.createFrom().iterable(expired)
                            .onItem().transformToUniAndConcatenate(e -> end(refs.get(e.tenantId()), e.runId(), now))
                            .collect().asList().map(ended -> (int) ended.stream().filter(Boolean::booleanValue).count()));
        });
    }

    private Uni<Boolean> end(TenantRef tenant, UUID runId, Instant now) {
        return recorder.failIfLeaseExpired(tenant, runId, now, STOPPED).invoke(ended -> {
            if (ended) {
                LOG.infof("Sync %s ended as failed: its replica stopped renewing its lease", runId);
            }
        });
    }
}
