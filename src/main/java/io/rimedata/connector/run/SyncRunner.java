package io.rimedata.connector.run;

import io.rimedata.connector.ConnectorConfig;
import io.rimedata.connector.rest.ConnectorApi;
import io.rimedata.connector.source.PostgresDriver;
import io.rimedata.connector.source.SourceSpec;
import io.rimedata.platform.tenancy.TenantRef;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
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
 * {@code <data-dir>/staging/<tenant>/<connector>/<run>/<table>.ndjson}.
 */
@ApplicationScoped
public class SyncRunner {

    private static final Logger LOG = Logger.getLogger(SyncRunner.class);

    private final Vertx vertx;
    private final PostgresDriver postgres;
    private final PostgresExtractor extractor;
    private final RunRecorder recorder;
    private final ConnectorConfig config;

    SyncRunner(Vertx vertx, PostgresDriver postgres, PostgresExtractor extractor, RunRecorder recorder,
            ConnectorConfig config) {
        this.vertx = vertx;
        this.postgres = postgres;
        this.extractor = extractor;
        this.recorder = recorder;
        this.config = config;
    }

    /** Starts the run on a fresh duplicated context and returns at once. */
    public void launch(TenantRef tenant, UUID runId, SourceSpec spec, Map<String, String> lastCursors) {
        var context = VertxContext.createNewDuplicatedContext(vertx.getDelegate().getOrCreateContext());
        // a context of its own, marked safe so Hibernate Reactive sessions can live on it
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> run(tenant, runId, spec, lastCursors).subscribe().with(
                done -> LOG.infof("Sync %s of connector %s finished", runId, spec.connectorId()),
                failure -> LOG.errorf(failure, "Sync %s of connector %s failed to record its end", runId, spec.connectorId())));
    }

    Uni<Void> run(TenantRef tenant, UUID runId, SourceSpec spec, Map<String, String> lastCursors) {
        AtomicLong seq = new AtomicLong();
        List<RunApi.TableResult> results = new ArrayList<>();
        AtomicLong total = new AtomicLong();
        AtomicBoolean cancelled = new AtomicBoolean();
        Uni<Void> started = recorder.event(tenant, runId, seq.incrementAndGet(), "run.status", Map.of("status", "running"));
        if (!"postgresql".equals(spec.type())) {
            return started.chain(() -> end(tenant, runId, seq, "failed", results, 0, "Extraction of " + spec.type()
                    + " connectors is not available on this server yet; it will run on this server or an external runner."));
        }
        return started.chain(() -> postgres.connect(spec, config.testTimeout())).onItemOrFailure().transformToUni((connection, failure) -> {
            if (failure != null) {
                return end(tenant, runId, seq, "failed", results, 0,
                        "Could not connect: " + PostgresDriver.describe(failure, config.testTimeout()));
            }
            Uni<Void> tables = Uni.createFrom().voidItem();
            for (ConnectorApi.TableSelection table : spec.tables()) {
                tables = tables.chain(() -> cancelled.get() ? Uni.createFrom().voidItem()
                        : table(tenant, runId, spec, connection, table, lastCursors.get(table.name()), seq, results, total, cancelled));
            }
            return tables.onTermination().call(connection::close).chain(() -> {
                long failed = results.stream().filter(r -> r.status().equals("failed")).count();
                String status = cancelled.get() ? "cancelled" : failed == 0 ? "completed"
                        : failed == results.size() ? "failed" : "partially_failed";
                return end(tenant, runId, seq, status, results, total.get(), null);
            });
        });
    }

    private Uni<Void> table(TenantRef tenant, UUID runId, SourceSpec spec, PgConnection connection,
            ConnectorApi.TableSelection table, String lastCursor, AtomicLong seq, List<RunApi.TableResult> results,
            AtomicLong total, AtomicBoolean cancelled) {
        int index = results.size();
        results.add(new RunApi.TableResult(table.name(), "running", 0, null, lastCursor));
        long before = total.get();
        Path target = Path.of(config.dataDir(), "staging", tenant.id().toString(), spec.connectorId().toString(),
                runId.toString(), table.name() + ".ndjson");
        return recorder.event(tenant, runId, seq.incrementAndGet(), "table.status", Map.of("table", table.name(), "status", "running"))
                .chain(() -> extractor.extract(connection, table, lastCursor, target, (rows, done) -> {
                    results.set(index, new RunApi.TableResult(table.name(), "running", rows, null, lastCursor));
                    total.set(before + rows);
                    return recorder.event(tenant, runId, seq.incrementAndGet(), "table.progress",
                            Map.of("table", table.name(), "rows_extracted", rows))
                            .chain(() -> recorder.progress(tenant, runId, results, total.get()))
                            .invoke(cancel -> cancelled.set(cancel));
                }))
                .onItemOrFailure().transformToUni((extracted, failure) -> {
                    RunApi.TableResult result;
                    if (failure != null) {
                        result = new RunApi.TableResult(table.name(), "failed", results.get(index).rowsExtracted(),
                                PostgresDriver.describe(failure, config.testTimeout()), lastCursor);
                    } else if (cancelled.get()) {
                        result = new RunApi.TableResult(table.name(), "failed", extracted.rows(), "Cancelled.", lastCursor);
                    } else {
                        result = new RunApi.TableResult(table.name(), "completed", extracted.rows(), null, extracted.cursorValue());
                    }
                    results.set(index, result);
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
