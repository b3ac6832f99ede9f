package io.rimedata.execution.step;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.connector.run.RunApi;
import io.rimedata.connector.service.SyncService;
import io.rimedata.execution.OrchestratorConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code extract}: starts a connector run with trigger {@code pipeline} and follows it until it ends, reporting its
 * rows as progress. A cancelled step asks the connector run to stop. Only a {@code completed} run succeeds.
 */
@ApplicationScoped
public class ExtractExecutor implements StepExecutor {

    private final SyncService syncs;
    private final OrchestratorConfig config;
    private final Vertx vertx;
    private final ObjectMapper json;

    ExtractExecutor(SyncService syncs, OrchestratorConfig config, Vertx vertx, ObjectMapper json) {
        this.syncs = syncs;
        this.config = config;
        this.vertx = vertx;
        this.json = json;
    }

    @Override
    public Set<String> types() {
        return Set.of("extract");
    }

    @Override
    public Uni<StepOutcome> execute(StepTask task) {
        UUID connectorId = UUID.fromString(task.config().path("connector_id").asText());
        List<String> tables = null;
        if (task.config().path("tables").isArray()) {
            tables = new ArrayList<>();
            for (var t : task.config().path("tables")) {
                tables.add(t.asText());
            }
        }
        return syncs.start(task.tenant(), task.projectId(), connectorId, "pipeline", tables)
                .call(run -> task.report().log("Started connector run " + run.id() + "."))
                .chain(run -> follow(task, run.id(), -1)
                        .onCancellation().call(() -> syncs.requestCancel(task.tenant(), run.id()).onFailure().recoverWithNull()));
    }

    private Uni<StepOutcome> follow(StepTask task, UUID runId, long reportedRows) {
        return delay().chain(() -> syncs.find(task.tenant(), runId)).chain(run -> {
            if (run == null) {
                return Uni.createFrom().item(StepOutcome.failure("Connector run " + runId + " disappeared."));
            }
            Uni<Void> progress = run.totalRows() != reportedRows
                    ? task.report().progress(run.totalRows(), null, "rows") : Uni.createFrom().voidItem();
            if ("running".equals(run.status())) {
                return progress.chain(() -> follow(task, runId, run.totalRows()));
            }
            return progress.chain(() -> task.report().log("Connector run " + runId + " ended " + run.status() + " with "
                    + run.totalRows() + " rows.")).replaceWith(outcome(run));
        });
    }

    private StepOutcome outcome(RunApi.RunView run) {
        ObjectNode output = json.createObjectNode().put("connector_run_id", run.id().toString())
                .put("status", run.status()).put("total_rows", run.totalRows());
        if ("completed".equals(run.status())) {
            return StepOutcome.success(output);
        }
        return StepOutcome.failure("The connector run ended " + run.status()
                + (run.error() != null ? ": " + run.error() : "."), output);
    }

    private Uni<Void> delay() {
        return Uni.createFrom().emitter(emitter -> {
            long timer = vertx.setTimer(config.extractPollInterval().toMillis(), id -> emitter.complete(null));
            emitter.onTermination(() -> vertx.cancelTimer(timer));
        });
    }
}
