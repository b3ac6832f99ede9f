package io.rimedata.connector.run;

import io.rimedata.platform.background.Background;
import io.rimedata.connector.ConnectorConfig;
import io.rimedata.connector.rest.ConnectorApi;
import io.rimedata.connector.source.PostgresDriver;
import io.rimedata.connector.source.RestApiDriver;
import io.rimedata.connector.file.FileDriver;
import io.rimedata.execution.RunnerConfig;
import io.rimedata.execution.service.RunnerJobs;
import io.rimedata.connector.repository.ConnectorRunRepository;
import io.rimedata.platform.persistence.DatabaseScope;
import java.time.Instant;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.file.OpenOptions;
import io.vertx.mutiny.core.buffer.Buffer;
import java.util.function.BiFunction;
import io.rimedata.connector.source.SourceSpec;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Executes a sync in the background, on a Vert.x context of its own: tables one after another, progress and events
 * written as it goes, a cancel honoured between batches. Staged output: one NDJSON file per table per run under
 * {@code <data-dir>/staging/<tenant>/<connector>/<run>/table-<n>.ndjson}, n the table's position in the run's
 * {@code table_results} (from 0).
 */
@ApplicationScoped
public class SyncRunner {

    private static final Logger LOG = Logger.getLogger(SyncRunner.class);

    private final Vertx vertx;
    private final PostgresDriver postgres;
    private final PostgresExtractor extractor;
    private final RestApiDriver rest;
    private final FileDriver files;
    private final RunRecorder recorder;
    private final ConnectorConfig config;
    private final RunnerJobs jobs;
    private final RunLeases leases;
    private final Background background;
    private final ConnectorRunRepository runs;
    private final RunnerConfig runnerConfig;
    /** A sync handed to an external runner is held beyond the job's deadline, which fails it first. */
    private static final java.time.Duration RUNNER_MARGIN = java.time.Duration.ofMinutes(1);
    private static final String RUNNER = "runner";

    SyncRunner(Background background, RunLeases leases, ConnectorRunRepository runs, RunnerConfig runnerConfig, RunnerJobs jobs, Vertx vertx, PostgresDriver postgres, PostgresExtractor extractor, RestApiDriver rest, FileDriver files,
            RunRecorder recorder, ConnectorConfig config) {
        this.leases = leases;
        this.background = background;
        this.runs = runs;
        this.runnerConfig = runnerConfig;
        this.jobs = jobs;
        this.rest = rest;
        this.files = files;
        this.vertx = vertx;
        this.postgres = postgres;
        this.extractor = extractor;
        this.recorder = recorder;
        this.config = config;
    }

    /** Starts the run on a fresh duplicated context and returns at once. */
    public void launch(TenantRef tenant, UUID runId, SourceSpec spec, Map<String, String> lastCursors) {
        leases.held(runId);
        background.launch(tenant, "Recording the end of sync " + runId, () -> run(tenant, runId, spec, lastCursors)
                .onTermination().invoke(() -> leases.released(runId))
                .invoke(() -> LOG.infof("Sync %s of connector %s finished", runId, spec.connectorId())));
    }

    /**
     * One table of a sync: its name, where an incremental read resumes, and how its rows are copied to a staged file
     * while reporting progress (the progress callback answers whether to stop).
     */
    private record Job(String name, String lastCursor,
            BiFunction<Path, BiFunction<Long, Boolean, Uni<Boolean>>, Uni<PostgresExtractor.Extracted>> body) {

        Uni<PostgresExtractor.Extracted> run(Path target, BiFunction<Long, Boolean, Uni<Boolean>> progress) {
            return body.apply(target, progress);
        }
    }

    Uni<Void> run(TenantRef tenant, UUID runId, SourceSpec spec, Map<String, String> lastCursors) {
        AtomicLong seq = new AtomicLong();
        Uni<Void> started = recorder.event(tenant, runId, seq.incrementAndGet(), "run.status", Map.of("status", "running"));
        return switch (spec.type()) {
            case "postgresql" -> started.chain(() -> postgres.connect(spec, config.testTimeout()))
                    .onItemOrFailure().transformToUni((connection, failure) -> failure != null
                            ? end(tenant, runId, seq, "failed", List.of(), 0,
                                    "Could not connect: " + PostgresDriver.describe(failure, config.testTimeout()))
                            : tables(tenant, runId, spec, seq, postgresJobs(spec, connection, lastCursors))
                                    .onTermination().call(connection::close));
            case "rest_api" -> started.chain(() -> tables(tenant, runId, spec, seq, restJobs(spec)));
            case "csv", "json" -> started.chain(() -> files.tableName(spec))
                    .onItemOrFailure().transformToUni((name, failure) -> failure != null
                            ? end(tenant, runId, seq, "failed", List.of(), 0, failure.getMessage())
                            : tables(tenant, runId, spec, seq, List.of(new Job(name, null, (target, progress) ->
                                    files.extract(spec, target).call(rows -> progress.apply(rows, true))
                                            .map(rows -> new PostgresExtractor.Extracted(rows, null))))));
            // the run stays running until a runner reports back, or the job's deadline fails it
            default -> started.chain(() -> DatabaseScope.transaction(tenant, () -> jobs.enqueue(tenant, ConnectorSyncJobs.KIND, runId,
                    JsonNodeFactory.instance.objectNode().put("run_id", runId.toString())
                            .put("connector_id", spec.connectorId().toString()))
                    .call(() -> runs.holdLease(tenant, runId, RUNNER, Instant.now().plus(runnerConfig.jobDeadline()).plus(RUNNER_MARGIN)))))
                    .chain(jobId -> recorder.event(tenant, runId, seq.incrementAndGet(), "run.status",
                            Map.of("status", "running", "waiting_for", "runner", "job_id", jobId.toString())));
        };
    }

    private List<Job> postgresJobs(SourceSpec spec, PgConnection connection, Map<String, String> lastCursors) {
        List<Job> jobs = new ArrayList<>();
        for (ConnectorApi.TableSelection table : spec.tables()) {
            jobs.add(new Job(table.name(), lastCursors.get(table.name()),
                    (target, progress) -> extractor.extract(connection, table, lastCursors.get(table.name()), target, progress)));
        }
        return jobs;
    }

    private List<Job> restJobs(SourceSpec spec) {
        List<Job> jobs = new ArrayList<>();
        for (JsonNode endpoint : spec.config().path("endpoints")) {
            jobs.add(new Job(RestApiDriver.tableOf(endpoint), null, (target, progress) -> vertx.fileSystem()
                    .mkdirs(target.getParent().toString())
                    .chain(() -> vertx.fileSystem().open(target.toString(),
                            new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true)))
                    .chain(file -> {
                        AtomicLong rows = new AtomicLong();
                        return rest.extract(spec, endpoint, config.testTimeout(), records -> {
                            Buffer buffer = Buffer.buffer();
                            records.forEach(record -> buffer.appendString(record.toString()).appendString("\n"));
                            return file.write(buffer).chain(() -> progress.apply(rows.addAndGet(records.size()), false))
                                    .replaceWithVoid();
                        }).onTermination().call(file::close);
                    })
                    .map(total -> new PostgresExtractor.Extracted(total, null))));
        }
        return jobs;
    }

    /** Runs the jobs one after another and ends the run with the status their results add up to. */
    private Uni<Void> tables(TenantRef tenant, UUID runId, SourceSpec spec, AtomicLong seq, List<Job> jobs) {
        List<RunApi.TableResult> results = new ArrayList<>();
        AtomicLong total = new AtomicLong();
        AtomicBoolean cancelled = new AtomicBoolean();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Job job : jobs) {
            chain = chain.chain(() -> cancelled.get() ? Uni.createFrom().voidItem()
                    : table(tenant, runId, spec, job, seq, results, total, cancelled));
        }
        return chain.chain(() -> {
            long failed = results.stream().filter(r -> r.status().equals("failed")).count();
            String status = cancelled.get() ? "cancelled" : failed == 0 ? "completed"
                    : failed == results.size() ? "failed" : "partially_failed";
            return end(tenant, runId, seq, status, results, total.get(), null);
        });
    }

    private Uni<Void> table(TenantRef tenant, UUID runId, SourceSpec spec, Job job, AtomicLong seq,
            List<RunApi.TableResult> results, AtomicLong total, AtomicBoolean cancelled) {
        int index = results.size();
        String lastCursor = job.lastCursor();
        results.add(new RunApi.TableResult(job.name(), "running", 0, null, lastCursor));
        long before = total.get();
        // named by position, never by the table or endpoint name: the data volume is shared by every tenant
        Path target = Path.of(config.dataDir(), "staging", tenant.id().toString(), spec.connectorId().toString(),
                runId.toString(), "table-" + index + ".ndjson");
        return recorder.event(tenant, runId, seq.incrementAndGet(), "table.status", Map.of("table", job.name(), "status", "running"))
                .chain(() -> job.run(target, (rows, done) -> {
                    results.set(index, new RunApi.TableResult(job.name(), "running", rows, null, lastCursor));
                    total.set(before + rows);
                    return recorder.event(tenant, runId, seq.incrementAndGet(), "table.progress",
                            Map.of("table", job.name(), "rows_extracted", rows))
                            .chain(() -> recorder.progress(tenant, runId, results, total.get()))
                            .invoke(cancel -> cancelled.set(cancel));
                }))
                .onItemOrFailure().transformToUni((extracted, failure) -> {
                    RunApi.TableResult result;
                    if (failure != null) {
                        result = new RunApi.TableResult(job.name(), "failed", results.get(index).rowsExtracted(),
                                failure instanceof io.rimedata.platform.error.ApiException ? failure.getMessage()
                                        : PostgresDriver.describe(failure, config.testTimeout()), lastCursor);
                    } else if (cancelled.get()) {
                        result = new RunApi.TableResult(job.name(), "failed", extracted.rows(), "Cancelled.", lastCursor);
                    } else {
                        result = new RunApi.TableResult(job.name(), "completed", extracted.rows(), null, extracted.cursorValue());
                    }
                    results.set(index, result);
                    total.set(before + result.rowsExtracted());
                    return recorder.event(tenant, runId, seq.incrementAndGet(), "table.status", status(result));
                });
    }

    private Uni<Void> end(TenantRef tenant, UUID runId, AtomicLong seq, String status, List<RunApi.TableResult> results,
            long total, String error) {
        return recorder.finish(tenant, runId, status, results, total, error)
                .chain(run -> recorder.event(tenant, runId, seq.incrementAndGet(), "run.finished",
                        error == null ? Map.of("status", status, "total_rows", total)
                                : Map.of("status", status, "total_rows", total, "error", error)));
    }

    private static Map<String, Object> status(RunApi.TableResult r) {
        return r.error() == null ? Map.of("table", r.name(), "status", r.status(), "rows_extracted", r.rowsExtracted())
                : Map.of("table", r.name(), "status", r.status(), "rows_extracted", r.rowsExtracted(), "error", r.error());
    }
}
