package io.rimedata.execution.service;

import io.rimedata.platform.background.Background;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.arc.All;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.rimedata.execution.RunnerConfig;
import io.rimedata.execution.RunnerJob;
import io.rimedata.execution.RunnerJobHandler;
import io.rimedata.execution.RunnerPrincipal;
import io.rimedata.execution.repository.RunnerJobRepository;
import io.rimedata.execution.rest.RunnerApi;
import io.rimedata.platform.error.NotFound;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.platform.persistence.JsonText;
import io.rimedata.platform.persistence.UuidV7;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.platform.tenancy.Tenants;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The job queue of external runners (§7.4): jobs are leased with {@code FOR UPDATE SKIP LOCKED}, kept by heartbeats,
 * offered again when a lease runs out (up to a number of attempts), and failed when no runner finished them before
 * their deadline. What a job means is up to the {@link RunnerJobHandler} of its kind.
 */
@ApplicationScoped
public class RunnerJobs {

    private static final Logger LOG = Logger.getLogger(RunnerJobs.class);
    static final String NO_RUNNER = "No runner completed this job before its deadline; register a runner for this "
            + "tenant (POST /runners) and make sure it is polling.";

    private final RunnerJobRepository jobs;
    private final RunnerConfig config;
    private final JsonText text;
    private final Tenants tenants;
    private final Background background;
    private final Map<String, RunnerJobHandler> handlers = new HashMap<>();

    RunnerJobs(RunnerJobRepository jobs, RunnerConfig config, JsonText text, Tenants tenants, Background background,
            @All List<RunnerJobHandler> handlers) {
        this.jobs = jobs;
        this.config = config;
        this.text = text;
        this.tenants = tenants;
        this.background = background;
        handlers.forEach(h -> this.handlers.put(h.kind(), h));
    }

    void start(@Observes StartupEvent event) {
        if (config.sweeperEnabled()) {
            background.every(config.sweepInterval(), "Runner job sweep", () -> sweep(Instant.now()));
        }
    }

    /** Queues a job in the caller's transaction. */
    public Uni<UUID> enqueue(TenantRef tenant, String kind, UUID subjectId, ObjectNode payload) {
        RunnerJob job = new RunnerJob();
        job.id = UuidV7.next();
        job.kind = kind;
        job.subjectId = subjectId;
        job.payload = text.write(payload);
        job.status = "queued";
        job.maxAttempts = config.maxAttempts();
        job.deadlineAt = Instant.now().plus(config.jobDeadline()).truncatedTo(ChronoUnit.MILLIS);
        return jobs.persist(tenant, job).map(saved -> saved.id);
    }

    /** A job as it stands now, or null; for callers waiting briefly on a result. */
    public Uni<RunnerJob> find(TenantRef tenant, UUID jobId) {
        return DatabaseScope.session(tenant, () -> jobs.findById(tenant, jobId));
    }

    /** The next job for this runner, leased to it; null when there is none. */
    public Uni<RunnerApi.LeasedJob> lease(TenantRef tenant, RunnerPrincipal runner) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return DatabaseScope.transaction(tenant, () -> jobs.claimNext(tenant, now).chain(job -> {
            if (job == null) {
                return Uni.createFrom().nullItem();
            }
            job.status = "leased";
            job.attempts++;
            job.runnerId = runner.runnerId();
            job.leaseExpiresAt = now.plus(config.leaseDuration());
            return handler(job).leasePayload(tenant, job).call(jobs::flush).map(payload -> new RunnerApi.LeasedJob(
                    job.id, job.kind, job.attempts, job.leaseExpiresAt, job.deadlineAt, payload));
        }));
    }

    public Uni<RunnerApi.Lease> heartbeat(TenantRef tenant, RunnerPrincipal runner, UUID jobId) {
        return DatabaseScope.transaction(tenant, () -> leased(tenant, runner, jobId).chain(job -> {
            job.leaseExpiresAt = Instant.now().plus(config.leaseDuration()).truncatedTo(ChronoUnit.MILLIS);
            return jobs.flush().map(v -> new RunnerApi.Lease(job.leaseExpiresAt));
        }));
    }

    public Uni<Void> complete(TenantRef tenant, RunnerPrincipal runner, UUID jobId, JsonNode result) {
        return DatabaseScope.transaction(tenant, () -> leased(tenant, runner, jobId).chain(job -> {
            job.status = "completed";
            job.result = text.write(result);
            return handler(job).completed(tenant, job, result).call(jobs::flush).replaceWith(job);
        })).chain(job -> afterCommit(tenant, job));
    }

    public Uni<Void> fail(TenantRef tenant, RunnerPrincipal runner, UUID jobId, String error) {
        return DatabaseScope.transaction(tenant, () -> leased(tenant, runner, jobId)
                .chain(job -> end(tenant, job, error).replaceWith(job))).chain(job -> afterCommit(tenant, job));
    }

    /** A handler's follow-up must not fail the runner's call: the job's state is already committed. */
    private Uni<Void> afterCommit(TenantRef tenant, RunnerJob job) {
        return handler(job).afterCommit(tenant, job).onFailure().recoverWithItem(failure -> {
            LOG.warnf("Follow-up of runner job %s failed: %s", job.id, failure.toString());
            return null;
        });
    }

    /** Fails every job that can no longer be done; answers how many. */
    public Uni<Integer> sweep(Instant now) {
        // cross-tenant: which tenants have open jobs; each tenant's jobs are then handled in its own scope
        return DatabaseScope.forPlatform(() -> Panache.withSession(() -> jobs.tenantsWithOpenJobs()))
                .chain(ids -> Panache.withSession(() -> tenants.refs(ids)))
                .chain(refs -> Multi.createFrom().iterable(refs.values())
                        .onItem().transformToUniAndConcatenate(tenant -> DatabaseScope.transaction(tenant, () -> jobs.hopeless(tenant, now)
                                .chain(hopeless -> Multi.createFrom().iterable(hopeless)
                                        .onItem().transformToUniAndConcatenate(job -> end(tenant, job, NO_RUNNER).replaceWith(job))
                                        .collect().asList()))
                                .chain(ended -> Multi.createFrom().iterable(ended)
                                        .onItem().transformToUniAndConcatenate(job -> afterCommit(tenant, job))
                                        .collect().asList().map(done -> ended.size())))
                        .collect().asList().map(counts -> counts.stream().mapToInt(Integer::intValue).sum()));
    }

    private Uni<Void> end(TenantRef tenant, RunnerJob job, String error) {
        job.status = "failed";
        job.error = error;
        return handler(job).failed(tenant, job, error).call(jobs::flush);
    }

    private Uni<RunnerJob> leased(TenantRef tenant, RunnerPrincipal runner, UUID jobId) {
        return jobs.findLeasedBy(tenant, jobId, runner.runnerId()).map(job -> {
            if (job == null) {
                throw new NotFound("Job with ID '" + jobId + "' is not leased by this runner (its lease may have run out).");
            }
            return job;
        });
    }

    private RunnerJobHandler handler(RunnerJob job) {
        RunnerJobHandler handler = handlers.get(job.kind);
        if (handler == null) {
            throw new IllegalStateException("No handler for runner jobs of kind " + job.kind);
        }
        return handler;
    }
}
