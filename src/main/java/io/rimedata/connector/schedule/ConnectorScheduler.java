package io.rimedata.connector.schedule;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.rimedata.connector.Connector;
import io.rimedata.connector.ConnectorConfig;
import io.rimedata.connector.ScheduleFire;
import io.rimedata.connector.repository.ScheduleFireRepository;
import io.rimedata.connector.repository.ScheduledConnectors;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.platform.schedule.ScheduleSpec;
import io.rimedata.connector.service.SyncService;
import io.rimedata.identity.ProjectLookup;
import io.rimedata.platform.background.Background;
import io.rimedata.platform.error.DatabaseFailures;
import io.rimedata.platform.persistence.JsonText;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.platform.tenancy.Tenants;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Fires connector schedules (§7.3). Every replica may run it: a fire is claimed by inserting its
 * {@code (connector, fire time)} row, which only one replica can do, so each fire starts exactly one run. Fires
 * missed while every replica was down are caught up once: only the latest due fire is taken.
 */
@ApplicationScoped
public class ConnectorScheduler {

    private static final Logger LOG = Logger.getLogger(ConnectorScheduler.class);

    private final Background background;
    private final ConnectorConfig config;
    private final ScheduledConnectors scheduled;
    private final ScheduleFireRepository fires;
    private final SyncService syncs;
    private final ProjectLookup projects;
    private final Tenants tenants;
    private final JsonText text;

    ConnectorScheduler(Background background, ConnectorConfig config, ScheduledConnectors scheduled, ScheduleFireRepository fires,
            SyncService syncs, ProjectLookup projects, Tenants tenants, JsonText text) {
        this.background = background;
        this.config = config;
        this.scheduled = scheduled;
        this.fires = fires;
        this.syncs = syncs;
        this.projects = projects;
        this.tenants = tenants;
        this.text = text;
    }

    void start(@Observes StartupEvent event) {
        if (config.schedulerEnabled()) {
            background.every(config.schedulerInterval(), "Connector schedule tick", () -> tick(Instant.now()).invoke(fired -> {
                if (fired > 0) {
                    LOG.infof("Fired %d connector schedule(s)", fired);
                }
            }));
        }
    }

    /** Claims and starts every fire due at {@code now}; answers how many this replica started. */
    public Uni<Integer> tick(Instant now) {
        // cross-tenant: which connectors of any tenant have a schedule
        return DatabaseScope.forPlatform(() -> Panache.withSession(() -> scheduled.withSchedules().chain(connectors -> tenants.refs(
                connectors.stream().map(c -> c.tenantId).collect(Collectors.toSet())).map(refs -> Map.entry(connectors, refs)))))
                .chain(found -> Multi.createFrom().iterable(found.getKey())
                        .onItem().transformToUniAndConcatenate(c -> fire(found.getValue().get(c.tenantId), c, now)
                                .onFailure().recoverWithItem(failure -> {
                                    LOG.warnf("Schedule of connector %s not fired: %s", c.id, failure.toString());
                                    return false;
                                }))
                        .collect().asList()
                        .map(results -> (int) results.stream().filter(Boolean::booleanValue).count()));
    }

    private Uni<Boolean> fire(TenantRef tenant, Connector connector, Instant now) {
        if (tenant == null) {
            return Uni.createFrom().item(false);
        }
        ScheduleSpec schedule = text.read(connector.schedule, ScheduleSpec.class);
        if (!schedule.isEnabled()) {
            return Uni.createFrom().item(false);
        }
        return DatabaseScope.forTenant(tenant, () -> Panache.withSession(() -> zone(tenant, connector, schedule)
                .chain(zone -> fires.lastFire(tenant, connector.id)
                        .map(last -> schedule.dueFire(zone, last != null ? last : connector.createdAt, now))))
                .chain(fire -> fire == null ? Uni.createFrom().item(false) : claim(tenant, connector, fire)));
    }

    private Uni<Boolean> claim(TenantRef tenant, Connector connector, Instant fireTime) {
        ScheduleFire fire = new ScheduleFire();
        fire.connectorId = connector.id;
        fire.fireTime = fireTime;
        return Panache.withTransaction(() -> fires.persist(tenant, fire))
                .map(claimed -> true)
                .onFailure(DatabaseFailures::isUniqueViolation).recoverWithItem(false) // another replica won
                .chain(won -> !won ? Uni.createFrom().item(false)
                        : syncs.startScheduled(tenant, connector.projectId, connector.id).replaceWith(true));
    }

    private Uni<ZoneId> zone(TenantRef tenant, Connector connector, ScheduleSpec schedule) {
        return projects.defaultTimezone(tenant, connector.projectId).map(schedule::zone);
    }


}
