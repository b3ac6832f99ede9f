package io.rimedata.execution.orchestrator;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.arc.All;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rimedata.execution.OrchestratorConfig;
import io.rimedata.execution.PipelineRun;
import io.rimedata.execution.StepLog;
import io.rimedata.execution.StepRun;
import io.rimedata.execution.repository.ExecutionSweeps;
import io.rimedata.execution.repository.PipelineRunRepository;
import io.rimedata.execution.repository.StepLogRepository;
import io.rimedata.execution.repository.StepRunRepository;
import io.rimedata.execution.step.StepExecutor;
import io.rimedata.execution.step.StepOutcome;
import io.rimedata.execution.step.StepTask;
import io.rimedata.pipeline.dag.RunPlanner;
import io.rimedata.pipeline.rest.PipelineApi;
import io.rimedata.pipeline.service.PipelineService;
import io.rimedata.pipeline.service.StepDefinitions;
import io.rimedata.platform.background.Background;
import io.rimedata.platform.cluster.Replica;
import io.rimedata.platform.json.Timestamps;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.platform.persistence.JsonText;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.platform.tenancy.Tenants;
import io.rimedata.progress.service.RunEventBus;
import io.rimedata.progress.service.RunEventLog;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Runs pipeline runs (§7.2, §7.4). All state is in PostgreSQL and every change to a run happens in one transaction
 * that first locks the run's row: the change itself (a step finished, a cancel), then planning what follows
 * ({@link RunPlanner}), then the run's events, numbered under that same lock. Steps started by a transition are
 * executed on this replica after the commit, under a lease it renews; a replica that stops renewing has its steps
 * taken over by another one's sweep, which also fails overdue steps and starts due retries and queued runs.
 */
@ApplicationScoped
public class Orchestrator {

    private static final Logger LOG = Logger.getLogger(Orchestrator.class);
    private static final TypeReference<List<String>> KEYS = new TypeReference<>() {
    };
    /** How long a step handed to an external runner keeps its lease beyond the job's own deadline. */
    private static final Duration RUNNER_MARGIN = Duration.ofMinutes(1);
    static final String RUNNER_OWNER = "runner";
    static final String RUN_KIND = "pipeline_run";

    private final PipelineRunRepository runs;
    private final StepRunRepository steps;
    private final StepLogRepository logs;
    private final ExecutionSweeps sweeps;
    private final RunEventLog events;
    private final RunEventBus bus;
    private final PipelineService pipelines;
    private final OrchestratorConfig config;
    private final Tenants tenants;
    private final Vertx vertx;
    private final Background background;
    private final ObjectMapper json;
    private final JsonText text;
    private final Map<String, StepExecutor> executors = new HashMap<>();
    private final String replica;
    /** Attempts executing on this replica, by step row id. */
    private final Map<UUID, Execution> executing = new ConcurrentHashMap<>();
    /** Versions never change, so their steps can be kept. */
    private final Map<String, StepDefinitions.Defined> versions = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, StepDefinitions.Defined> eldest) {
                    return size() > 256;
                }
            });
    private volatile boolean stopping;

    Orchestrator(PipelineRunRepository runs, StepRunRepository steps, StepLogRepository logs, ExecutionSweeps sweeps,
            RunEventLog events, RunEventBus bus, PipelineService pipelines, OrchestratorConfig config, Tenants tenants, Vertx vertx,
            ObjectMapper json, JsonText text, Replica replica, Background background, @All List<StepExecutor> executors) {
        this.background = background;
        this.runs = runs;
        this.steps = steps;
        this.logs = logs;
        this.sweeps = sweeps;
        this.events = events;
        this.bus = bus;
        this.pipelines = pipelines;
        this.config = config;
        this.tenants = tenants;
        this.vertx = vertx;
        this.json = json;
        this.text = text;
        executors.forEach(e -> e.types().forEach(type -> this.executors.put(type, e)));
        this.replica = replica.id();
    }

    /** One attempt executing here; {@code claim} tells it apart from a later attempt or a takeover. */
    private static final class Execution {
        final TenantRef tenant;
        final UUID runId;
        final Claim claim;
        /** The step row's version when the attempt was launched: only a newer view of the row may stop it. */
        final long version;
        volatile Cancellable cancellable;
        volatile boolean cancelled;

        Execution(TenantRef tenant, UUID runId, Claim claim, long version) {
            this.tenant = tenant;
            this.runId = runId;
            this.claim = claim;
            this.version = version;
        }

        void cancel() {
            cancelled = true;
            Cancellable c = cancellable;
            if (c != null) {
                c.cancel();
            }
        }
    }

    private record Claim(UUID stepId, int attempt, int takeovers) {
        static Claim of(StepRun s) {
            return new Claim(s.id, s.attempt, s.takeovers);
        }

        boolean holds(StepRun s, String owner) {
            return s != null && "running".equals(s.status) && owner.equals(s.leaseOwner) && s.attempt == attempt
                    && s.takeovers == takeovers;
        }
    }

    void start(@Observes StartupEvent event) {
        LOG.infof("Orchestrator replica %s: up to %d parallel steps per run, leases of %ss", replica,
                config.maxParallelStepsPerRun(), config.leaseDuration().toSeconds());
        background.every(config.leaseRenewInterval(), "Lease renewal", this::renewLeases);
        if (config.sweeperEnabled()) {
            background.every(config.sweepInterval(), "Orchestrator sweep",
                    () -> stopping ? Uni.createFrom().voidItem() : sweep(Instant.now()));
        }
    }

    /**
     * On shutdown this replica stops its attempts and hands their leases back at once, so another replica takes the
     * steps over on its next sweep instead of waiting for the leases to run out.
     */
    void stop(@Observes ShutdownDelayInitiatedEvent event) {
        stopping = true;
        List<UUID> ids = new ArrayList<>(executing.keySet());
        executing.values().forEach(Execution::cancel);
        executing.clear();
        if (ids.isEmpty()) {
            return;
        }
        // cross-tenant: this replica's own steps, by id
        background.launch("Releasing leases", () -> DatabaseScope.forPlatform(() -> Panache.withTransaction(() -> sweeps.release(replica, ids, Instant.now())))
                .invoke(n -> LOG.infof("Shutting down: handed back %d step lease(s)", n)));
    }

    void stopped(@Observes ShutdownEvent event) {
        stopping = true;
    }

    public String replica() {
        return replica;
    }

    // ---- transitions ------------------------------------------------------------------------------------------

    /** A change to one run in progress: the locked run, its steps, and what follows from the change. */
    public final class Transition {
        final TenantRef tenant;
        final PipelineRun run;
        final List<StepRun> stepRows;
        final Map<String, StepRun> byKey = new HashMap<>();
        final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        final List<RunEventLog.Pending> pending = new ArrayList<>();
        final List<StepRun> launch = new ArrayList<>();
        /** The events as written, published once the transition has committed. */
        List<ObjectNode> written = List.of();
        boolean finished;

        Transition(TenantRef tenant, PipelineRun run, List<StepRun> stepRows) {
            this.tenant = tenant;
            this.run = run;
            this.stepRows = stepRows;
            stepRows.forEach(s -> byKey.put(s.key, s));
        }

        public PipelineRun run() {
            return run;
        }

        public List<StepRun> steps() {
            return stepRows;
        }

        StepRun step(UUID id) {
            return stepRows.stream().filter(s -> s.id.equals(id)).findFirst().orElse(null);
        }

        void event(String type, ObjectNode payload) {
            pending.add(new RunEventLog.Pending(type, payload));
        }

        void stepStatus(StepRun s) {
            ObjectNode p = json.createObjectNode().put("step_key", s.key).put("status", s.status).put("attempt", s.attempt);
            p.put("started_at", Timestamps.format(s.startedAt));
            p.put("finished_at", Timestamps.format(s.finishedAt));
            if (s.error != null) {
                p.put("error", s.error);
            }
            if (s.nextAttemptAt != null && "retrying".equals(s.status)) {
                p.put("next_attempt_at", Timestamps.format(s.nextAttemptAt));
            }
            event("step.status", p);
        }

        void runStatus() {
            ObjectNode p = json.createObjectNode().put("status", run.status);
            p.put("started_at", Timestamps.format(run.startedAt));
            event("run.status", p);
        }
    }

    /**
     * Begins a run just inserted in the caller's transaction: records its first events and starts its roots. Call
     * {@link #afterCommit} once that transaction has committed.
     */
    public Uni<Transition> begin(TenantRef tenant, PipelineRun run, List<StepRun> stepRows) {
        Transition t = new Transition(tenant, run, stepRows);
        t.runStatus();
        stepRows.stream().filter(s -> "succeeded".equals(s.status)).forEach(t::stepStatus);
        if ("skipped".equals(run.status)) {
            finishEvent(t);
        }
        advance(t);
        return write(t).replaceWith(t);
    }

    /** Runs {@code change} on a run under its lock, then plans what follows; launches started steps after commit. */
    public Uni<Transition> transition(TenantRef tenant, UUID runId, Function<Transition, Uni<Void>> change) {
        return DatabaseScope.transaction(tenant, () -> inLock(tenant, runId, change)).invoke(t -> {
            if (t != null) {
                afterCommit(t);
            }
        });
    }

    /** A transition within the caller's transaction; null when the run does not exist. */
    public Uni<Transition> inLock(TenantRef tenant, UUID runId, Function<Transition, Uni<Void>> change) {
        return runs.lock(tenant, runId).chain(run -> {
            if (run == null) {
                return Uni.createFrom().<Transition>nullItem();
            }
            return steps.ofRun(tenant, runId).chain(rows -> {
                Transition t = new Transition(tenant, run, rows);
                return change.apply(t).invoke(() -> advance(t)).chain(() -> write(t)).replaceWith(t);
            });
        });
    }

    private Uni<Void> write(Transition t) {
        if (t.pending.isEmpty()) {
            return runs.flush();
        }
        long first = t.run.lastSeq + 1;
        t.run.lastSeq += t.pending.size();
        return events.append(t.tenant, t.run.id, first, t.pending).invoke(written -> t.written = written).chain(runs::flush);
    }

    /** Launches the steps a committed transition started, stops local attempts it ended, arms retry timers. */
    public void afterCommit(Transition t) {
        bus.publish(t.tenant, t.run.projectId, t.run.id, RUN_KIND, t.written);
        for (StepRun s : t.stepRows) {
            Execution local = executing.get(s.id);
            // transitions commit in order but their follow-ups may not run in order: an older view of the step
            // (still pending, say) must not stop the attempt a newer transition launched
            if (local != null && s.version > local.version && !local.claim.holds(s, replica)) {
                executing.remove(s.id);
                local.cancel();
            }
            if ("retrying".equals(s.status) && s.nextAttemptAt != null) {
                long delay = Math.max(1, Duration.between(Instant.now(), s.nextAttemptAt).toMillis());
                UUID runId = t.run.id;
                vertx.setTimer(delay, id -> background.launch(t.tenant, "Retry", () -> kick(t.tenant, runId)));
            }
        }
        t.launch.forEach(s -> launch(t.tenant, t.run, s));
        if (t.finished) {
            UUID pipelineId = t.run.pipelineId;
            background.launch(t.tenant, "Starting a queued run", () -> startQueued(t.tenant, pipelineId));
        }
    }

    /** Plans the run from its steps' states and applies the decision. */
    private void advance(Transition t) {
        if (!"running".equals(t.run.status)) {
            return;
        }
        for (StepRun s : t.stepRows) {
            if ("retrying".equals(s.status) && s.nextAttemptAt != null && !s.nextAttemptAt.isAfter(t.now)) {
                startAttempt(t, s);
            }
        }
        RunPlanner.Decision decision = RunPlanner.plan(t.stepRows.stream().map(this::state).toList(),
                config.maxParallelStepsPerRun());
        boolean stopped = t.stepRows.stream().anyMatch(s -> "failed".equals(s.status) && s.stopOnFailure);
        for (String key : decision.skip()) {
            StepRun s = t.byKey.get(key);
            s.status = "skipped";
            s.finishedAt = t.now;
            s.error = stopped ? "Not run: the run stopped after a step failed." : "Not run: an upstream step did not succeed.";
            t.stepStatus(s);
        }
        for (String key : decision.fail()) {
            StepRun s = t.byKey.get(key);
            s.status = "failed";
            s.finishedAt = t.now;
            s.nextAttemptAt = null;
            t.stepStatus(s);
        }
        for (String key : decision.start()) {
            startAttempt(t, t.byKey.get(key));
        }
        if (decision.finished() != null) {
            t.run.status = decision.finished() == RunPlanner.RunOutcome.SUCCEEDED ? "succeeded" : "failed";
            if ("failed".equals(t.run.status)) {
                t.run.error = t.stepRows.stream().filter(s -> "failed".equals(s.status)).map(s -> s.key)
                        .reduce((a, b) -> a + ", " + b).map(keys -> "Failed steps: " + keys + ".").orElse(null);
            }
            finish(t);
        }
    }

    private RunPlanner.StepState state(StepRun s) {
        return new RunPlanner.StepState(s.key, text.read(s.dependsOn, KEYS), s.stopOnFailure,
                RunPlanner.StepStatus.valueOf(s.status.toUpperCase()));
    }

    private void startAttempt(Transition t, StepRun s) {
        s.status = "running";
        s.attempt++;
        if (s.startedAt == null) {
            s.startedAt = t.now;
        }
        s.finishedAt = null;
        s.nextAttemptAt = null;
        s.leaseOwner = replica;
        s.leaseExpiresAt = t.now.plus(config.leaseDuration());
        s.deadlineAt = t.now.plusSeconds(s.timeoutSeconds);
        t.stepStatus(s);
        t.launch.add(s);
    }

    /** Ends the run: its status was set by the caller. */
    void finish(Transition t) {
        t.run.finishedAt = t.now;
        t.runStatus();
        finishEvent(t);
    }

    private void finishEvent(Transition t) {
        ObjectNode p = json.createObjectNode().put("status", t.run.status).put("finished_at", Timestamps.format(t.run.finishedAt));
        if (t.run.startedAt != null) {
            p.put("duration_ms", Duration.between(t.run.startedAt, t.run.finishedAt).toMillis());
        }
        if (t.run.error != null) {
            p.put("error", t.run.error);
        }
        t.event("run.finished", p);
        t.finished = true;
    }

    /** Records an attempt's failure: retrying after the backoff while attempts remain, else failed. */
    void failOrRetry(Transition t, StepRun s, String error, String output) {
        s.error = error;
        s.output = output != null ? output : s.output;
        s.leaseOwner = null;
        s.leaseExpiresAt = null;
        if (s.attempt < s.maxAttempts) {
            double seconds = s.backoffSeconds * Math.pow(s.backoffMultiplier, s.attempt - 1);
            s.status = "retrying";
            s.nextAttemptAt = t.now.plusMillis((long) (seconds * 1000));
        } else {
            s.status = "failed";
            s.finishedAt = t.now;
        }
        t.stepStatus(s);
    }

    private void succeed(Transition t, StepRun s, ObjectNode output) {
        s.status = "succeeded";
        s.finishedAt = t.now;
        s.error = null;
        s.output = output == null ? s.output : text.write(output);
        s.leaseOwner = null;
        s.leaseExpiresAt = null;
        t.stepStatus(s);
    }

    // ---- executing steps --------------------------------------------------------------------------------------

    private void launch(TenantRef tenant, PipelineRun run, StepRun s) {
        StepExecutor executor = executors.get(s.type);
        Claim claim = Claim.of(s);
        Execution execution = new Execution(tenant, run.id, claim, s.version);
        executing.put(s.id, execution);
        UUID projectId = run.projectId;
        UUID pipelineId = run.pipelineId;
        int version = run.pipelineVersion;
        Duration timeout = Duration.between(Instant.now(), s.deadlineAt);
        background.launch(tenant, "Step " + s.key, () -> {
            if (execution.cancelled) {
                return Uni.createFrom().voidItem();
            }
            Uni<StepOutcome> work = definition(tenant, pipelineId, version).chain(defined -> {
                PipelineApi.Step step = defined.steps().stream().filter(d -> d.key().equals(s.key)).findFirst().orElseThrow();
                StepTask task = new StepTask(tenant, projectId, pipelineId, run.id, s.id, s.key, s.type, claim.attempt(),
                        step.config(), defined.secrets().get(s.key), timeout, reporter(tenant, run.id, claim));
                return executor == null ? Uni.createFrom().item(StepOutcome.failure("No executor for steps of type " + s.type + "."))
                        : executor.execute(task);
            }).ifNoItem().after(timeout.isNegative() ? Duration.ofMillis(1) : timeout).failWith(TimeoutException::new)
                    .onFailure().recoverWithItem(failure -> StepOutcome.failure(failure instanceof TimeoutException
                            ? "Timed out after " + s.timeoutSeconds + " s." : describe(failure)));
            execution.cancellable = work.subscribe().with(outcome -> settle(tenant, run.id, claim, outcome).subscribe().with(
                    v -> { }, failure -> LOG.warnf("Could not record step %s of run %s: %s", s.key, run.id, failure.toString())));
            return Uni.createFrom().voidItem();
        });
    }

    private Uni<StepDefinitions.Defined> definition(TenantRef tenant, UUID pipelineId, int version) {
        String cacheKey = pipelineId + ":" + version;
        StepDefinitions.Defined cached = versions.get(cacheKey);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return DatabaseScope.session(tenant, () -> pipelines.steps(tenant, pipelineId, version)).invoke(d -> versions.put(cacheKey, d));
    }

    /** Records an attempt's outcome unless the step has moved on meanwhile (cancelled, timed out, taken over). */
    private Uni<Void> settle(TenantRef tenant, UUID runId, Claim claim, StepOutcome outcome) {
        executing.remove(claim.stepId());
        return transition(tenant, runId, t -> {
            StepRun s = t.step(claim.stepId());
            if (!claim.holds(s, replica)) {
                return Uni.createFrom().voidItem();
            }
            if (outcome.detached()) {
                s.leaseOwner = RUNNER_OWNER;
                s.leaseExpiresAt = outcome.holdUntil().plus(RUNNER_MARGIN);
                s.output = outcome.output() == null ? s.output : text.write(outcome.output());
            } else if (outcome.succeeded()) {
                succeed(t, s, outcome.output());
            } else {
                failOrRetry(t, s, outcome.error(), outcome.output() == null ? null : text.write(outcome.output()));
            }
            return Uni.createFrom().voidItem();
        }).replaceWithVoid();
    }

    /** An external runner's report on a step handed to it; ignored unless that attempt still holds the step. */
    public Uni<Void> settleFromRunner(TenantRef tenant, UUID runId, String key, int attempt, StepOutcome outcome) {
        return transition(tenant, runId, t -> {
            StepRun s = t.byKey.get(key);
            if (s != null && "running".equals(s.status) && RUNNER_OWNER.equals(s.leaseOwner) && s.attempt == attempt) {
                if (outcome.succeeded()) {
                    succeed(t, s, outcome.output());
                } else {
                    failOrRetry(t, s, outcome.error(), null);
                }
            }
            return Uni.createFrom().voidItem();
        }).replaceWithVoid();
    }

    private StepTask.Reporter reporter(TenantRef tenant, UUID runId, Claim claim) {
        return new StepTask.Reporter() {
            @Override
            public Uni<Void> log(String line) {
                return transition(tenant, runId, t -> {
                    StepRun s = t.step(claim.stepId());
                    if (!claim.holds(s, replica)) {
                        return Uni.createFrom().voidItem();
                    }
                    StepLog row = new StepLog();
                    row.runId = runId;
                    row.stepKey = s.key;
                    row.lineNo = ++s.logLines;
                    row.message = line;
                    t.event("step.log", json.createObjectNode().put("step_key", s.key).put("line", row.lineNo).put("message", line));
                    return logs.persist(tenant, row).replaceWithVoid();
                }).replaceWithVoid();
            }

            @Override
            public Uni<Void> progress(long current, Long total, String unit) {
                return transition(tenant, runId, t -> {
                    StepRun s = t.step(claim.stepId());
                    if (!claim.holds(s, replica)) {
                        return Uni.createFrom().voidItem();
                    }
                    ObjectNode p = json.createObjectNode().put("current", current).put("unit", unit);
                    p.put("total", total);
                    s.progress = text.write(p);
                    ObjectNode event = json.createObjectNode().put("step_key", s.key);
                    event.setAll(p);
                    t.event("step.progress", event);
                    return Uni.createFrom().voidItem();
                }).replaceWithVoid();
            }
        };
    }

    // ---- operations on runs -----------------------------------------------------------------------------------

    /** Starts due retries of a run (and whatever else its plan allows). */
    public Uni<Void> kick(TenantRef tenant, UUID runId) {
        return transition(tenant, runId, t -> Uni.createFrom().voidItem()).replaceWithVoid();
    }

    /** Cancels an active run in a transition: running and retrying steps end cancelled, pending ones skipped. */
    public void cancelIn(Transition t) {
        for (StepRun s : t.stepRows) {
            if ("running".equals(s.status) || "retrying".equals(s.status)) {
                s.status = "cancelled";
                s.error = "Cancelled.";
                s.finishedAt = t.now;
                s.nextAttemptAt = null;
                s.leaseOwner = null;
                s.leaseExpiresAt = null;
                t.stepStatus(s);
            } else if ("pending".equals(s.status)) {
                s.status = "skipped";
                s.error = "Not run: the run was cancelled.";
                s.finishedAt = t.now;
                t.stepStatus(s);
            }
        }
        t.run.status = "cancelled";
        finish(t);
    }

    /** Starts the oldest queued run of a pipeline if none of its runs is running. */
    public Uni<Void> startQueued(TenantRef tenant, UUID pipelineId) {
        return DatabaseScope.session(tenant, () -> runs.oldestQueued(tenant, pipelineId))
                .chain(queued -> queued == null ? Uni.createFrom().voidItem() : promote(tenant, queued.id));
    }

    private Uni<Void> promote(TenantRef tenant, UUID runId) {
        return transition(tenant, runId, t -> {
            if (!"queued".equals(t.run.status)) {
                return Uni.createFrom().voidItem();
            }
            return runs.anyRunning(tenant, t.run.pipelineId).invoke(running -> {
                if (!running) {
                    t.run.status = "running";
                    t.run.startedAt = t.now;
                    t.runStatus();
                }
            }).replaceWithVoid();
        }).replaceWithVoid();
    }

    // ---- crash safety ----------------------------------------------------------------------------------------

    /**
     * Takes over steps whose replica stopped renewing, fails steps past their deadline, starts due retries and
     * queued runs that can start. Answers how many runs it looked at.
     */
    public Uni<Integer> sweep(Instant now) {
        // cross-tenant: which runs of any tenant have work nobody does; each is then handled in its tenant's scope
        return DatabaseScope.forPlatform(() -> Panache.withSession(() -> sweeps.runsNeedingAttention(now, 100).chain(attention ->
                sweeps.startableQueuedRuns(100).map(queued -> List.of(attention, queued)))))
                .chain(found -> {
                    List<ExecutionSweeps.RunRef> all = new ArrayList<>(found.get(0));
                    all.addAll(found.get(1));
                    if (all.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return Panache.withSession(() -> tenants.refs(all.stream().map(ExecutionSweeps.RunRef::tenantId).toList()))
                            .chain(refs -> Multi.createFrom().iterable(found.get(0))
                                    .onItem().transformToUniAndConcatenate(r -> recover(refs.get(r.tenantId()), r.runId(), now))
                                    .collect().asList()
                                    .chain(() -> Multi.createFrom().iterable(found.get(1))
                                            .onItem().transformToUniAndConcatenate(r -> promote(refs.get(r.tenantId()), r.runId()))
                                            .collect().asList())
                                    .map(done -> all.size()));
                });
    }

    private Uni<Void> recover(TenantRef tenant, UUID runId, Instant now) {
        return transition(tenant, runId, t -> {
            for (StepRun s : t.stepRows) {
                if (!"running".equals(s.status)) {
                    continue;
                }
                if (s.deadlineAt != null && s.deadlineAt.isBefore(now)) {
                    failOrRetry(t, s, "Timed out after " + s.timeoutSeconds + " s.", null);
                } else if (s.leaseExpiresAt != null && s.leaseExpiresAt.isBefore(now)) {
                    String previous = s.leaseOwner;
                    if (s.takeovers >= config.maxTakeovers()) {
                        s.attempt = s.maxAttempts; // no retry: the step keeps losing its replica
                        failOrRetry(t, s, "The replica running this step stopped " + (s.takeovers + 1) + " times.", null);
                    } else {
                        s.takeovers++;
                        s.attempt--; // a takeover repeats the attempt; it does not use up the retry policy
                        startAttempt(t, s);
                        LOG.infof("Took over step %s of run %s from %s", s.key, runId, previous);
                    }
                }
            }
            return Uni.createFrom().voidItem();
        }).replaceWithVoid();
    }

    /** Renews the leases of the steps executing here and stops those another replica or a cancel took. */
    private Uni<Void> renewLeases() {
        if (executing.isEmpty() || stopping) {
            return Uni.createFrom().voidItem();
        }
        List<UUID> ids = new ArrayList<>(executing.keySet());
        Instant expires = Instant.now().plus(config.leaseDuration()).truncatedTo(ChronoUnit.MILLIS);
        // cross-tenant: this replica's own steps, by id
        return DatabaseScope.forPlatform(() -> Panache.withTransaction(() -> sweeps.renew(replica, ids, expires))).invoke(lost -> lost.forEach(id -> {
            Execution e = executing.remove(id);
            if (e != null) {
                e.cancel();
            }
        })).replaceWithVoid();
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? "The step failed (" + failure.getClass().getSimpleName() + ")." : message;
    }

    JsonNode read(String value) {
        return text.read(value, JsonNode.class);
    }
}
