package io.rimedata.execution.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.rimedata.execution.PipelineRun;
import io.rimedata.execution.StepRun;
import io.rimedata.execution.orchestrator.Orchestrator;
import io.rimedata.execution.repository.PipelineRunRepository;
import io.rimedata.execution.repository.StepLogRepository;
import io.rimedata.execution.repository.StepRunRepository;
import io.rimedata.execution.rest.PipelineRunApi;
import io.rimedata.execution.rest.PipelineRunApi.RunView;
import io.rimedata.pipeline.Pipeline;
import io.rimedata.pipeline.PipelineRuns;
import io.rimedata.pipeline.rest.PipelineApi;
import io.rimedata.pipeline.service.PipelineService;
import io.rimedata.platform.error.Conflict;
import io.rimedata.platform.error.NotFound;
import io.rimedata.platform.error.Unprocessable;
import io.rimedata.platform.pagination.Page;
import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.pagination.Pagination;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.platform.persistence.JsonText;
import io.rimedata.platform.persistence.UuidV7;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.progress.service.RunEventLog;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Pipeline runs (§7.2): Run Now, schedule fires, history, cancel, retry, events and step logs. */
@ApplicationScoped
public class PipelineRunService implements PipelineRuns {

    private static final TypeReference<List<String>> KEYS = new TypeReference<>() {
    };

    private final PipelineService pipelines;
    private final PipelineRunRepository runs;
    private final StepRunRepository steps;
    private final StepLogRepository logs;
    private final RunEventLog events;
    private final Orchestrator orchestrator;
    private final JsonText text;

    PipelineRunService(PipelineService pipelines, PipelineRunRepository runs, StepRunRepository steps,
            StepLogRepository logs, RunEventLog events, Orchestrator orchestrator, JsonText text) {
        this.pipelines = pipelines;
        this.runs = runs;
        this.steps = steps;
        this.logs = logs;
        this.events = events;
        this.orchestrator = orchestrator;
        this.text = text;
    }

    /** Run Now: a manual run of the current version starts at once, whatever else is running. */
    public Uni<RunView> start(TenantRef tenant, UUID projectId, UUID pipelineId) {
        return create(tenant, () -> pipelines.require(tenant, projectId, pipelineId)
                .map(p -> new NewRun(p, p.currentVersion, "manual", "running", null, null, Map.of())));
    }

    @Override
    public Uni<UUID> startScheduled(TenantRef tenant, UUID projectId, UUID pipelineId, Instant fireTime, String policy) {
        return create(tenant, () -> pipelines.require(tenant, projectId, pipelineId)
                .chain(p -> runs.active(tenant, pipelineId).map(active -> {
                    String status = active.isEmpty() || "allow".equals(policy) ? "running"
                            : "queue".equals(policy) ? "queued" : "skipped";
                    return new NewRun(p, p.currentVersion, "scheduled", status, null, fireTime, Map.of());
                }))).map(RunView::id);
    }

    /** A new run of the same version that keeps this run's succeeded steps and runs the rest. */
    public Uni<RunView> retry(TenantRef tenant, UUID projectId, UUID pipelineId, UUID runId) {
        return create(tenant, () -> require(tenant, projectId, pipelineId, runId).chain(old -> {
            if (old.isActive()) {
                return Uni.createFrom().failure(new Conflict("The run is still " + old.status + "; cancel it or wait for it to end."));
            }
            if (!"failed".equals(old.status) && !"cancelled".equals(old.status)) {
                return Uni.createFrom().failure(new Unprocessable("Only a failed or cancelled run can be retried; this one is "
                        + old.status + "."));
            }
            return pipelines.require(tenant, projectId, pipelineId).chain(p -> steps.ofRun(tenant, runId).map(oldSteps -> {
                Map<String, StepRun> succeeded = oldSteps.stream().filter(s -> "succeeded".equals(s.status))
                        .collect(Collectors.toMap(s -> s.key, Function.identity()));
                return new NewRun(p, old.pipelineVersion, "retry", "running", old.id, null, succeeded);
            }));
        }));
    }

    private record NewRun(Pipeline pipeline, int version, String trigger, String status, UUID retryOf, Instant fireTime,
            Map<String, StepRun> reused) {
    }

    private Uni<RunView> create(TenantRef tenant, java.util.function.Supplier<Uni<NewRun>> plan) {
        return DatabaseScope.transaction(tenant, () -> plan.get().chain(n -> pipelines.steps(tenant, n.pipeline().id, n.version())
                .chain(defined -> {
                    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                    PipelineRun run = new PipelineRun();
                    run.id = UuidV7.next();
                    run.projectId = n.pipeline().projectId;
                    run.pipelineId = n.pipeline().id;
                    run.pipelineVersion = n.version();
                    run.trigger = n.trigger();
                    run.status = n.status();
                    run.retryOf = n.retryOf();
                    run.fireTime = n.fireTime();
                    run.startedAt = "running".equals(n.status()) ? now : null;
                    if ("skipped".equals(n.status())) {
                        run.finishedAt = now;
                        run.error = "Skipped: a run of this pipeline was still active (concurrency_policy skip).";
                    }
                    List<StepRun> rows = new ArrayList<>();
                    List<PipelineApi.Step> defs = defined.steps();
                    for (int i = 0; i < defs.size(); i++) {
                        rows.add(stepRow(run, i, defs.get(i), n.reused().get(defs.get(i).key()), now));
                    }
                    return runs.persist(tenant, run).chain(() -> steps.persistAll(tenant, rows))
                            .chain(() -> orchestrator.begin(tenant, run, rows));
                })))
                .invoke(orchestrator::afterCommit)
                .map(t -> view(t.run(), t.steps()));
    }

    private StepRun stepRow(PipelineRun run, int position, PipelineApi.Step def, StepRun reused, Instant now) {
        StepRun s = new StepRun();
        s.id = UuidV7.next();
        s.runId = run.id;
        s.position = position;
        s.key = def.key();
        s.name = def.name();
        s.type = def.type();
        s.dependsOn = text.write(def.dependsOn());
        s.stopOnFailure = "stop".equals(def.onFailure());
        s.maxAttempts = def.retry().maxAttempts();
        s.backoffSeconds = def.retry().backoffSeconds();
        s.backoffMultiplier = def.retry().backoffMultiplier();
        s.timeoutSeconds = def.timeoutSeconds();
        s.status = "skipped".equals(run.status) ? "skipped" : "pending";
        if ("skipped".equals(run.status)) {
            s.finishedAt = now;
        }
        if (reused != null) {
            s.status = "succeeded";
            s.attempt = reused.attempt;
            s.startedAt = reused.startedAt;
            s.finishedAt = reused.finishedAt;
            s.output = reused.output;
            s.progress = reused.progress;
            s.reusedFrom = reused.reusedFrom != null ? reused.reusedFrom : reused.runId;
        }
        return s;
    }

    @WithSession
    public Uni<Page<RunView>> list(TenantRef tenant, UUID projectId, UUID pipelineId, String status, String trigger,
            PageRequest page) {
        return pipelines.require(tenant, projectId, pipelineId)
                .chain(() -> runs.page(tenant, pipelineId, status, trigger, page))
                .chain(rows -> {
                    Page<PipelineRun> found = page.toPage(rows, (PipelineRun r) -> r.id);
                    return steps.ofRuns(tenant, found.data().stream().map(r -> r.id).toList()).map(byRun -> new Page<>(
                            found.data().stream().map(r -> view(r, byRun.getOrDefault(r.id, List.of()))).toList(),
                            found.nextCursor(), found.hasMore()));
                });
    }

    @WithSession
    public Uni<RunView> get(TenantRef tenant, UUID projectId, UUID pipelineId, UUID runId) {
        return require(tenant, projectId, pipelineId, runId).chain(run -> steps.ofRun(tenant, runId).map(s -> view(run, s)));
    }

    /** Running steps are told to stop and end cancelled, pending ones skipped, the run cancelled; 409 unless active. */
    public Uni<RunView> cancel(TenantRef tenant, UUID projectId, UUID pipelineId, UUID runId) {
        return DatabaseScope.session(tenant, () -> require(tenant, projectId, pipelineId, runId))
                .chain(found -> orchestrator.transition(tenant, runId, t -> {
                    if (!t.run().isActive()) {
                        return Uni.createFrom().failure(new Conflict("The run is not active (status " + t.run().status + ")."));
                    }
                    orchestrator.cancelIn(t);
                    return Uni.createFrom().voidItem();
                }))
                .map(t -> view(t.run(), t.steps()));
    }

    @WithSession
    public Uni<PipelineRunApi.EventPage> events(TenantRef tenant, UUID projectId, UUID pipelineId, UUID runId, Long sinceSeq,
            Pagination.NumberedRequest page) {
        return require(tenant, projectId, pipelineId, runId).chain(run -> {
            Long since = sinceSeq != null ? (page.after() != null ? page.after() : sinceSeq) : null;
            Long before = sinceSeq == null ? page.after() : null;
            return events.page(tenant, runId, since, before, page.limit()).map(rows -> {
                boolean more = rows.size() > page.limit();
                var data = more ? rows.subList(0, page.limit()) : rows;
                String next = more ? page.cursorAt(data.getLast().path("seq").asLong()) : null;
                return new PipelineRunApi.EventPage(List.copyOf(data), next, more);
            });
        });
    }

    /** Lines after the cursor; the next cursor is always given, so a client can keep reading as the step logs. */
    @WithSession
    public Uni<PipelineRunApi.LogPage> logs(TenantRef tenant, UUID projectId, UUID pipelineId, UUID runId, String key,
            Pagination.NumberedRequest page) {
        return require(tenant, projectId, pipelineId, runId).chain(run -> steps.find(tenant, runId, key)).chain(step -> {
            if (step == null) {
                return Uni.createFrom().failure(new NotFound("Step '" + key + "' is not part of run '" + runId + "'."));
            }
            long after = page.after() == null ? 0 : page.after();
            boolean ended = !"pending".equals(step.status) && !"running".equals(step.status) && !"retrying".equals(step.status);
            return logs.after(tenant, runId, key, after, page.limit()).map(rows -> {
                boolean more = rows.size() > page.limit();
                var data = (more ? rows.subList(0, page.limit()) : rows).stream()
                        .map(l -> new PipelineRunApi.LogLine(l.lineNo, l.createdAt, l.message)).toList();
                long position = data.isEmpty() ? after : data.getLast().line();
                return new PipelineRunApi.LogPage(data, page.cursorAt(position), more, ended && !more);
            });
        });
    }

    @Override
    public Uni<Boolean> anyActive(TenantRef tenant, UUID pipelineId) {
        return runs.active(tenant, pipelineId).map(active -> !active.isEmpty());
    }

    /**
     * Cancels in the caller's transaction (the pipeline is being deleted); replicas executing its steps stop when
     * their lease renewal finds the steps gone.
     */
    @Override
    public Uni<Void> cancelActive(TenantRef tenant, UUID pipelineId) {
        return runs.active(tenant, pipelineId).chain(active -> Multi.createFrom().iterable(active)
                .onItem().transformToUniAndConcatenate(run -> orchestrator.inLock(tenant, run.id, t -> {
                    orchestrator.cancelIn(t);
                    return Uni.createFrom().voidItem();
                }))
                .collect().asList()).replaceWithVoid();
    }

    private Uni<PipelineRun> require(TenantRef tenant, UUID projectId, UUID pipelineId, UUID runId) {
        return pipelines.require(tenant, projectId, pipelineId).chain(() -> runs.findOfPipeline(tenant, pipelineId, runId))
                .map(run -> {
                    if (run == null) {
                        throw NotFound.of("Run", runId);
                    }
                    return run;
                });
    }

    private RunView view(PipelineRun run, List<StepRun> rows) {
        int[] counts = new int[6];
        List<PipelineRunApi.StepView> stepViews = new ArrayList<>(rows.size());
        for (StepRun s : rows) {
            switch (s.status) {
                case "pending" -> counts[0]++;
                case "running", "retrying" -> counts[1]++;
                case "succeeded" -> counts[2]++;
                case "failed" -> counts[3]++;
                case "skipped" -> counts[4]++;
                default -> counts[5]++;
            }
            JsonNode progress = s.progress == null ? null : text.read(s.progress, JsonNode.class);
            stepViews.add(new PipelineRunApi.StepView(s.key, s.name, s.type, s.status, s.attempt, s.maxAttempts,
                    text.read(s.dependsOn, KEYS), s.startedAt, s.finishedAt, s.nextAttemptAt,
                    progress == null ? null : new PipelineRunApi.Progress(progress.path("current").asLong(),
                            progress.path("total").isNumber() ? progress.path("total").asLong() : null, progress.path("unit").asText()),
                    s.error, s.output == null ? null : text.read(s.output, JsonNode.class), s.reusedFrom));
        }
        Long duration = run.startedAt == null || run.finishedAt == null ? null
                : Duration.between(run.startedAt, run.finishedAt).toMillis();
        return new RunView(run.id, run.pipelineId, run.pipelineVersion, run.trigger, run.status, run.retryOf, run.fireTime,
                run.startedAt, run.finishedAt, duration, run.error, run.lastSeq, stepViews,
                new PipelineRunApi.Counts(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]), run.createdAt);
    }
}
