package io.rimedata.progress.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.rimedata.connector.service.SyncService;
import io.rimedata.execution.service.PipelineRunService;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.progress.WatchTarget;
import io.rimedata.progress.repository.RunEventRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * The {@code snapshot} message of a watched run: {@code {type: "snapshot", seq, finished, run}}, where {@code seq}
 * is the position of the last event the run document already reflects.
 */
@ApplicationScoped
public class RunSnapshots {

    private static final Set<String> ENDED = Set.of("succeeded", "failed", "cancelled", "skipped", "completed", "partially_failed");

    private final PipelineRunService pipelineRuns;
    private final SyncService syncs;
    private final RunEventRepository events;
    private final ObjectMapper json;

    RunSnapshots(PipelineRunService pipelineRuns, SyncService syncs, RunEventRepository events, ObjectMapper json) {
        this.pipelineRuns = pipelineRuns;
        this.syncs = syncs;
        this.events = events;
        this.json = json;
    }

    /** Fails with the API's 404 when the run is not in the target's project (and tenant). */
    public Uni<ObjectNode> of(WatchTarget target) {
        // called from socket callbacks as well as from the handshake, so the tenant is declared here
        return DatabaseScope.forTenant(target.tenant(), () -> snapshot(target));
    }

    private Uni<ObjectNode> snapshot(WatchTarget target) {
        return switch (target.kind()) {
            case PIPELINE_RUN -> pipelineRuns.get(target.tenant(), target.projectId(), target.ownerId(), target.runId())
                    .map(run -> message(run.lastSeq(), run.status(), run));
            // the position is read first, so the run can only be newer than it: replayed events carry absolute values
            case CONNECTOR_RUN -> Panache.withSession(() -> events.lastSeq(target.tenant(), target.runId()))
                    .chain(seq -> syncs.get(target.tenant(), target.projectId(), target.ownerId(), target.runId())
                            .map(run -> message(seq, run.status(), run)));
            case PROJECT -> Uni.createFrom().failure(new IllegalArgumentException("A project has no run snapshot"));
        };
    }

    private ObjectNode message(long seq, String status, Object run) {
        ObjectNode message = json.createObjectNode().put("type", "snapshot").put("seq", seq).put("finished", ENDED.contains(status));
        message.set("run", json.valueToTree(run));
        return message;
    }
}
