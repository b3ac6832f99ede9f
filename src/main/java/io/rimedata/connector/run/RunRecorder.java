package io.rimedata.connector.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rimedata.connector.ConnectorRun;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.progress.RunEvent;
import io.rimedata.progress.service.RunEventBus;
import io.rimedata.progress.service.RunEventLog;
import io.rimedata.connector.repository.ConnectorRunRepository;
import io.rimedata.progress.repository.RunEventRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes a running sync's state: each call is its own short transaction, carrying the tenant explicitly, since the
 * sync runs outside any request. The caller is the run's only writer, so it numbers the events itself.
 */
@ApplicationScoped
public class RunRecorder {

    static final TypeReference<List<RunApi.TableResult>> TABLES = new TypeReference<>() {
    };

    private final ConnectorRunRepository runs;
    private final RunEventRepository events;
    private final ObjectMapper json;
    private final RunEventLog log;
    private final RunEventBus bus;
    /** Projects of the runs this replica is recording, so each event does not look its run up again. */
    private final Map<UUID, UUID> projects = new java.util.concurrent.ConcurrentHashMap<>();
    static final String RUN_KIND = "connector_run";

    RunRecorder(ConnectorRunRepository runs, RunEventRepository events, ObjectMapper json, RunEventLog log, RunEventBus bus) {
        this.log = log;
        this.bus = bus;
        this.runs = runs;
        this.events = events;
        this.json = json;
    }

    /** Appends one event in its own transaction, then hands it to live watchers. */
    public Uni<Void> event(TenantRef tenant, UUID runId, long seq, String type, Map<String, Object> payload) {
        RunEvent row = event(runId, seq, type, payload);
        UUID known = projects.get(runId);
        return DatabaseScope.transaction(tenant, () -> events.persist(tenant, row)
                        .chain(() -> known != null ? Uni.createFrom().item(known) : runs.findById(tenant, runId).map(r -> r.projectId)))
                .invoke(projectId -> {
                    if ("run.finished".equals(type)) {
                        projects.remove(runId);
                    } else {
                        projects.put(runId, projectId);
                    }
                    bus.publish(tenant, projectId, runId, RUN_KIND, List.of(log.view(row)));
                })
                .replaceWithVoid();
    }

    private RunEvent event(UUID runId, long seq, String type, Map<String, Object> payload) {
        RunEvent event = new RunEvent();
        event.runId = runId;
        event.seq = seq;
        event.type = type;
        event.payload = write(payload);
        return event;
    }

    /** Saves progress; returns whether a cancel was requested meanwhile. */
    public Uni<Boolean> progress(TenantRef tenant, UUID runId, List<RunApi.TableResult> tables, long totalRows) {
        return DatabaseScope.transaction(tenant, () -> runs.saveProgress(tenant, runId, write(tables), totalRows)
                .chain(() -> runs.findById(tenant, runId)).map(run -> run.cancelRequested));
    }

    public Uni<ConnectorRun> finish(TenantRef tenant, UUID runId, String status, List<RunApi.TableResult> tables,
            long totalRows, String error) {
        return DatabaseScope.transaction(tenant, () -> runs.findById(tenant, runId).chain(run -> {
            run.status = status;
            run.tables = write(tables);
            run.totalRows = totalRows;
            run.error = error;
            run.finishedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            return runs.flush().replaceWith(run);
        }));
    }

    /**
     * Ends a sync whose lease ran out as failed, with its closing event numbered after the last one; false when it
     * was renewed or ended meanwhile. The run's row lock keeps a late writer of the dead replica out.
     */
    public Uni<Boolean> failIfLeaseExpired(TenantRef tenant, UUID runId, Instant now, String error) {
        return DatabaseScope.transaction(tenant, () -> runs.lock(tenant, runId).chain(run -> {
            if (run == null || !"running".equals(run.status) || run.leaseExpiresAt == null || !run.leaseExpiresAt.isBefore(now)) {
                return Uni.createFrom().item(false);
            }
            run.status = "failed";
            run.error = error;
            run.finishedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            return runs.flush().chain(() -> events.lastSeq(tenant, runId))
                    .chain(last -> events.persist(tenant, event(runId, last + 1, "run.finished",
                            Map.of("status", "failed", "total_rows", run.totalRows, "error", error))))
                    .invoke(row -> bus.publish(tenant, run.projectId, runId, RUN_KIND, List.of(log.view(row))))
                    .replaceWith(true);
        }));
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
