package io.rimedata.connector.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.rimedata.connector.ConnectorRun;
import io.rimedata.connector.repository.ConnectorRunRepository;
import io.rimedata.connector.run.RunApi;
import io.rimedata.connector.run.RunLeases;
import io.rimedata.connector.run.SyncRunner;
import io.rimedata.connector.source.SourceSpec;
import io.rimedata.platform.error.Conflict;
import io.rimedata.platform.error.NotFound;
import io.rimedata.platform.error.Unprocessable;
import io.rimedata.platform.pagination.Page;
import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.platform.persistence.UuidV7;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Connector syncs (§4): start (one at a time per connector), history, details and cancel. */
@ApplicationScoped
public class SyncService {

    private static final TypeReference<List<RunApi.TableResult>> TABLES = new TypeReference<>() {
    };

    private final ConnectorService connectors;
    private final ConnectorRunRepository runs;
    private final SyncRunner runner;
    private final RunLeases leases;
    private final ObjectMapper json;

    SyncService(ConnectorService connectors, ConnectorRunRepository runs, SyncRunner runner, RunLeases leases, ObjectMapper json) {
        this.leases = leases;
        this.connectors = connectors;
        this.runs = runs;
        this.runner = runner;
        this.json = json;
    }

    private record Started(ConnectorRun run, SourceSpec spec, Map<String, String> cursors) {
    }

    /** Records a running run, then starts it in the background once that is committed. */
    public Uni<RunApi.RunView> start(TenantRef tenant, UUID projectId, UUID connectorId, String trigger) {
        return start(tenant, projectId, connectorId, trigger, null);
    }

    /**
     * A pipeline's extract: like a manual sync with trigger {@code pipeline}, limited to the named tables of the
     * connector's selection when {@code tables} is given.
     */
    public Uni<RunApi.RunView> start(TenantRef tenant, UUID projectId, UUID connectorId, String trigger, List<String> only) {
        return DatabaseScope.transaction(tenant, () -> connectors.spec(tenant, projectId, connectorId).map(spec -> only == null ? spec
                : new SourceSpec(spec.tenantId(), spec.connectorId(), spec.type(), spec.config(), spec.secrets(),
                        spec.tables().stream().filter(t -> only.contains(t.name())).toList())).chain(spec -> {
            if ("postgresql".equals(spec.type()) && spec.tables().isEmpty()) {
                return Uni.createFrom().failure(new Unprocessable("Select the tables to sync first (tables[])."));
            }
            return runs.running(tenant, connectorId).chain(running -> {
                if (running) {
                    return Uni.createFrom().failure(new Conflict("A sync of this connector is already running."));
                }
                return runs.lastSuccessful(tenant, connectorId).chain(last -> {
                    ConnectorRun run = new ConnectorRun();
                    run.id = UuidV7.next();
                    run.projectId = projectId;
                    run.connectorId = connectorId;
                    run.trigger = trigger;
                    run.status = "running";
                    run.startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                    run.tables = "[]";
                    run.leaseOwner = leases.owner();
                    run.leaseExpiresAt = leases.expiry();
                    return runs.persist(tenant, run).map(saved -> new Started(saved, spec, cursors(last)));
                });
            });
        })).invoke(started -> runner.launch(tenant, started.run().id, started.spec(), started.cursors()))
                .map(started -> view(started.run()));
    }

    /**
     * A schedule fire's run: started like a manual one, except that overlapping a running sync records a
     * {@code skipped} run instead of failing.
     */
    public Uni<UUID> startScheduled(TenantRef tenant, UUID projectId, UUID connectorId) {
        return DatabaseScope.session(tenant, () -> runs.running(tenant, connectorId)).chain(running -> running
                ? DatabaseScope.transaction(tenant, () -> {
                    ConnectorRun run = new ConnectorRun();
                    run.projectId = projectId;
                    run.connectorId = connectorId;
                    run.trigger = "scheduled";
                    run.status = "skipped";
                    run.startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                    run.finishedAt = run.startedAt;
                    run.tables = "[]";
                    run.error = "Skipped: a sync of this connector was still running.";
                    return runs.persist(tenant, run).map(saved -> saved.id);
                })
                : start(tenant, projectId, connectorId, "scheduled").map(RunApi.RunView::id));
    }

    /** A run by id alone, for a pipeline step following the run it started; null when it is gone. */
    @WithSession
    public Uni<RunApi.RunView> find(TenantRef tenant, UUID runId) {
        return runs.findById(tenant, runId).map(run -> run == null ? null : view(run));
    }

    /** Asks a run to stop after its current batch, if it is still running. */
    @WithTransaction
    public Uni<Boolean> requestCancel(TenantRef tenant, UUID runId) {
        return runs.requestCancel(tenant, runId);
    }

    @WithSession
    public Uni<Page<RunApi.RunView>> list(TenantRef tenant, UUID projectId, UUID connectorId, String status, String trigger,
            PageRequest page) {
        return connectors.requireExists(tenant, projectId, connectorId)
                .chain(() -> runs.page(tenant, connectorId, status, trigger, page))
                .map(rows -> page.toPage(rows, (ConnectorRun r) -> r.id).map(this::view));
    }

    @WithSession
    public Uni<RunApi.RunView> get(TenantRef tenant, UUID projectId, UUID connectorId, UUID runId) {
        return require(tenant, projectId, connectorId, runId).map(this::view);
    }

    /** Asks a running sync to stop after its current batch. */
    @WithTransaction
    public Uni<RunApi.RunView> cancel(TenantRef tenant, UUID projectId, UUID connectorId, UUID runId) {
        return require(tenant, projectId, connectorId, runId).chain(run -> runs.requestCancel(tenant, runId).map(flagged -> {
            if (!flagged) {
                throw new Conflict("The run is not running (status " + run.status + ").");
            }
            return view(run);
        }));
    }

    private Uni<ConnectorRun> require(TenantRef tenant, UUID projectId, UUID connectorId, UUID runId) {
        return connectors.requireExists(tenant, projectId, connectorId)
                .chain(() -> runs.findOfConnector(tenant, connectorId, runId))
                .map(run -> {
                    if (run == null) {
                        throw NotFound.of("Run", runId);
                    }
                    return run;
                });
    }

    private Map<String, String> cursors(ConnectorRun last) {
        Map<String, String> cursors = new HashMap<>();
        if (last != null) {
            for (RunApi.TableResult t : tables(last)) {
                if ("completed".equals(t.status()) && t.cursorValue() != null) {
                    cursors.put(t.name(), t.cursorValue());
                }
            }
        }
        return cursors;
    }

    private List<RunApi.TableResult> tables(ConnectorRun run) {
        try {
            return json.readValue(run.tables, TABLES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable run tables", e);
        }
    }

    private RunApi.RunView view(ConnectorRun run) {
        List<RunApi.TableResult> tables = tables(run);
        int succeeded = (int) tables.stream().filter(t -> "completed".equals(t.status())).count();
        int failed = (int) tables.stream().filter(t -> "failed".equals(t.status())).count();
        Long duration = run.finishedAt == null ? null : Duration.between(run.startedAt, run.finishedAt).toMillis();
        return new RunApi.RunView(run.id, run.connectorId, run.trigger, run.status, run.startedAt, run.finishedAt, duration,
                run.totalRows, new RunApi.TableCounts(tables.size(), succeeded, failed), tables, run.error);
    }
}
