package io.rimedata.pipeline.schedule;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.rimedata.identity.ProjectLookup;
import io.rimedata.pipeline.Pipeline;
import io.rimedata.pipeline.PipelineConfig;
import io.rimedata.pipeline.PipelineRuns;
import io.rimedata.pipeline.PipelineScheduleFire;
import io.rimedata.pipeline.repository.PipelineFireRepository;
import io.rimedata.pipeline.repository.ScheduledPipelines;
import io.rimedata.platform.background.Background;
import io.rimedata.platform.error.DatabaseFailures;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.platform.persistence.JsonText;
import io.rimedata.platform.schedule.ScheduleSpec;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.platform.tenancy.Tenants;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Fires pipeline schedules (§7.3). Every replica may run it: a fire is claimed by inserting its
 * {@code (pipeline, fire time)} row, which only one replica can do, and the claim and its run commit together, so
 * each fire starts exactly one run. Fires missed while every replica was down are caught up once (the latest due).
 */
@ApplicationScoped
public class PipelineScheduler {

    private static final Logger LOG = Logger.getLogger(PipelineScheduler.class);

    private final Background background;
    private final PipelineConfig config;
    private final ScheduledPipelines scheduled;
    private final PipelineFireRepository fires;
    private final PipelineRuns runs;
    private final ProjectLookup projects;
    private final Tenants tenants;
    private final JsonText text;

    PipelineScheduler(Background background, PipelineConfig config, ScheduledPipelines scheduled, PipelineFireRepository fires,
            PipelineRuns runs, ProjectLookup projects, Tenants tenants, JsonText text) {
        this.background = background;
        this.config = config;
        this.scheduled = scheduled;
        this.fires = fires;
        this.runs = runs;
        this.projects = projects;
        this.tenants = tenants;
        this.text = text;
    }

    void start(@Observes StartupEvent event) {
        if (config.schedulerEnabled()) {
            background.every(config.schedulerInterval(), "Pipeline schedule tick", () -> tick(Instant.now()).invoke(fired -> {
                if (fired > 0) {
                    LOG.infof("Fired %d pipeline schedule(s)", fired);
                }
            }));
        }
    }

    /** Claims and starts every fire due at {@code now}; answers how many this replica claimed. */
    public Uni<Integer> tick(Instant now) {
        // cross-tenant: which pipelines of any tenant have a schedule
        return DatabaseScope.forPlatform(() -> Panache.withSession(() -> scheduled.withSchedules().chain(pipelines -> tenants.refs(
                pipelines.stream().map(p -> p.tenantId).collect(Collectors.toSet())).map(refs -> Map.entry(pipelines, refs)))))
                .chain(found -> Multi.createFrom().iterable(found.getKey())
                        .onItem().transformToUniAndConcatenate(p -> fire(found.getValue().get(p.tenantId), p, now)
                                .onFailure().recoverWithItem(failure -> {
                                    LOG.warnf("Schedule of pipeline %s not fired: %s", p.id, failure.toString());
                                    return false;
                                }))
                        .collect().asList()
                        .map(results -> (int) results.stream().filter(Boolean::booleanValue).count()));
    }

    private Uni<Boolean> fire(TenantRef tenant, Pipeline pipeline, Instant now) {
        ScheduleSpec schedule = text.read(pipeline.schedule, ScheduleSpec.class);
        if (tenant == null || !schedule.isEnabled()) {
            return Uni.createFrom().item(false);
        }
        return DatabaseScope.forTenant(tenant, () -> Panache.withSession(() -> projects.defaultTimezone(tenant, pipeline.projectId)
                .map(schedule::zone)
                .chain(zone -> fires.lastFire(tenant, pipeline.id)
                        .map(last -> schedule.dueFire(zone, last != null ? last : pipeline.createdAt, now))))
                .chain(fire -> fire == null ? Uni.createFrom().item(false) : claim(tenant, pipeline, schedule, fire)));
    }

    /** The fire's row and its run commit together: a replica that loses the insert race starts nothing. */
    private Uni<Boolean> claim(TenantRef tenant, Pipeline pipeline, ScheduleSpec schedule, Instant fireTime) {
        PipelineScheduleFire fire = new PipelineScheduleFire();
        fire.pipelineId = pipeline.id;
        fire.fireTime = fireTime;
        return Panache.withTransaction(() -> fires.persist(tenant, fire).replaceWith(true))
                .onFailure(DatabaseFailures::isUniqueViolation).recoverWithItem(false)
                .chain(won -> !won ? Uni.createFrom().item(false)
                        : runs.startScheduled(tenant, pipeline.projectId, pipeline.id, fireTime, schedule.concurrencyPolicy())
                                .replaceWith(true));
    }
}
