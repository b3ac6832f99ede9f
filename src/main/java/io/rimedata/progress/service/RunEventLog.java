package io.rimedata.progress.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.platform.json.Timestamps;
import io.rimedata.platform.persistence.JsonText;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.progress.RunEvent;
import io.rimedata.progress.repository.RunEventRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * The per-run event log that REST polling and live progress read. Writers number events themselves under a lock
 * they hold (a pipeline run's row), so {@code seq} increases by exactly one; a rolled-back transition leaves no gap.
 */
@ApplicationScoped
public class RunEventLog {

    private final RunEventRepository events;
    private final ObjectMapper json;
    private final JsonText text;

    RunEventLog(RunEventRepository events, ObjectMapper json, JsonText text) {
        this.events = events;
        this.json = json;
        this.text = text;
    }

    /** An event waiting for its number. */
    public record Pending(String type, ObjectNode payload) {
    }

    /**
     * Appends events numbered from {@code firstSeq}, in the caller's transaction; answers them as clients see them,
     * for the caller to publish once the transaction has committed.
     */
    public Uni<List<ObjectNode>> append(TenantRef tenant, UUID runId, long firstSeq, List<Pending> pending) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        List<RunEvent> rows = new java.util.ArrayList<>(pending.size());
        long seq = firstSeq;
        for (Pending p : pending) {
            RunEvent event = new RunEvent();
            event.runId = runId;
            event.seq = seq++;
            event.type = p.type();
            event.payload = text.write(p.payload());
            rows.add(event);
            chain = chain.chain(() -> events.persistQueued(tenant, event));
        }
        return chain.chain(events::flush).map(v -> rows.stream().map(this::view).toList());
    }

    /** Events of a run as clients see them: {@code {seq, type, occurred_at, …payload}}; within the caller's session. */
    public Uni<List<ObjectNode>> page(TenantRef tenant, UUID runId, Long sinceSeq, Long beforeSeq, int limit) {
        return events.window(tenant, runId, sinceSeq, beforeSeq, limit).map(rows -> rows.stream().map(this::view).toList());
    }

    public ObjectNode view(RunEvent e) {
        ObjectNode node = json.createObjectNode();
        node.put("seq", e.seq);
        node.put("type", e.type);
        node.put("occurred_at", Timestamps.format(e.createdAt));
        JsonNode payload = text.read(e.payload, JsonNode.class);
        if (payload instanceof ObjectNode fields) {
            node.setAll(fields);
        }
        return node;
    }
}
