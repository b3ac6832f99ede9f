package io.rimedata.connector.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.rimedata.connector.ConnectorRun;
import io.rimedata.progress.RunEvent;
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

    RunRecorder(ConnectorRunRepository runs, RunEventRepository events, ObjectMapper json) {
        this.runs = runs;
        this.events = events;
        this.json = json;
    }

    public Uni<Void> event(TenantRef tenant, UUID runId, long seq, String type, Map<String, Object> payload) {
        RunEvent event = new RunEvent();
        event.runId = runId;
        event.seq = seq;
        event.type = type;
        event.payload = write(payload);
        return Panache.withTransaction(() -> events.persist(tenant, event)).replaceWithVoid();
    }

    /** Saves progress; returns whether a cancel was requested meanwhile. */
    public Uni<Boolean> progress(TenantRef tenant, UUID runId, List<RunApi.TableResult> tables, long totalRows) {
        return Panache.withTransaction(() -> runs.saveProgress(tenant, runId, write(tables), totalRows)
                .chain(() -> runs.findById(tenant, runId)).map(run -> run.cancelRequested));
    }

    public Uni<ConnectorRun> finish(TenantRef tenant, UUID runId, String status, List<RunApi.TableResult> tables,
            long totalRows, String error) {
        return Panache.withTransaction(() -> runs.findById(tenant, runId).chain(run -> {
            run.status = status;
            run.tables = write(tables);
            run.totalRows = totalRows;
            run.error = error;
            run.finishedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            return runs.flush().replaceWith(run);
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
