package io.rimedata.connector.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.progress.RunEvent;
import io.rimedata.connector.repository.ConnectorRunRepository;
import io.rimedata.progress.repository.RunEventRepository;
import io.rimedata.connector.service.ConnectorService;
import io.rimedata.execution.RunnerJob;
import io.rimedata.execution.RunnerJobHandler;
import io.rimedata.platform.persistence.JsonText;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Syncs of connector types this server cannot reach are {@code connector_sync} jobs for external runners: the runner
 * receives the connector's configuration with its secrets when it leases the job, and its result ends the run.
 */
@ApplicationScoped
public class ConnectorSyncJobs implements RunnerJobHandler {

    public static final String KIND = "connector_sync";

    private final ConnectorService connectors;
    private final ConnectorRunRepository runs;
    private final RunEventRepository events;
    private final JsonText text;
    private final RunnerPayloads payloads;

    ConnectorSyncJobs(ConnectorService connectors, ConnectorRunRepository runs, RunEventRepository events, JsonText text,
            RunnerPayloads payloads) {
        this.payloads = payloads;
        this.connectors = connectors;
        this.runs = runs;
        this.events = events;
        this.text = text;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Uni<ObjectNode> leasePayload(TenantRef tenant, RunnerJob job) {
        ObjectNode stored = text.read(job.payload, ObjectNode.class);
        return runs.findById(tenant, job.subjectId).chain(run -> connectors.spec(tenant, run.projectId, run.connectorId))
                .map(spec -> payloads.describe(spec, stored));
    }

    @Override
    public Uni<Void> completed(TenantRef tenant, RunnerJob job, JsonNode result) {
        List<RunApi.TableResult> tables = new ArrayList<>();
        long total = 0;
        for (JsonNode t : result.path("tables")) {
            String status = "completed".equals(t.path("status").asText()) ? "completed" : "failed";
            long rows = t.path("rows_extracted").asLong(0);
            total += rows;
            tables.add(new RunApi.TableResult(t.path("name").asText("table"), status, rows,
                    t.hasNonNull("error") ? t.get("error").asText() : null, null));
        }
        long failed = tables.stream().filter(t -> t.status().equals("failed")).count();
        String status = failed == 0 ? "completed" : failed == tables.size() ? "failed" : "partially_failed";
        return finish(tenant, job, status, tables, total, null);
    }

    @Override
    public Uni<Void> failed(TenantRef tenant, RunnerJob job, String error) {
        return finish(tenant, job, "failed", List.of(), 0, error);
    }

    /** Ends the run inside the runner API's transaction, with its closing event. */
    private Uni<Void> finish(TenantRef tenant, RunnerJob job, String status, List<RunApi.TableResult> tables, long total,
            String error) {
        return runs.findById(tenant, job.subjectId).chain(run -> {
            if (run == null || !"running".equals(run.status)) {
                return Uni.createFrom().voidItem();
            }
            run.status = status;
            run.tables = text.write(tables);
            run.totalRows = total;
            run.error = error;
            run.finishedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            return events.lastSeq(tenant, run.id).chain(seq -> {
                RunEvent event = new RunEvent();
                event.runId = run.id;
                event.seq = seq + 1;
                event.type = "run.finished";
                event.payload = text.write(error == null ? Map.of("status", status, "total_rows", total)
                        : Map.of("status", status, "total_rows", total, "error", error));
                return events.persist(tenant, event).replaceWithVoid();
            });
        });
    }
}
