package io.rimedata.progress.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rimedata.platform.cluster.Replica;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.progress.ProgressConfig;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Carries committed run events between replicas over one Redis pub/sub channel. A writer hands its events here
 * after its transaction commits: they go to this replica's watchers at once, then to Redis for the others. Each
 * replica also publishes a heartbeat and expects to hear it back; when it does not (Redis down, or a subscription
 * that died quietly) the hub reads the event log instead until the subscription works again.
 */
@ApplicationScoped
public class RunEventBus {

    private static final Logger LOG = Logger.getLogger(RunEventBus.class);
    private static final String HEARTBEAT = "heartbeat";

    private final ReactivePubSubCommands<String> pubsub;
    private final ProgressHub hub;
    private final ProgressConfig config;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final String origin;
    private final AtomicBoolean subscribing = new AtomicBoolean();
    private volatile ReactivePubSubCommands.ReactiveRedisSubscriber subscriber;
    private volatile long lastHeard = System.nanoTime();
    private volatile boolean stopping;

    RunEventBus(ReactiveRedisDataSource redis, ProgressHub hub, ProgressConfig config, ObjectMapper json, Vertx vertx,
            Replica replica) {
        this.pubsub = redis.pubsub(String.class);
        this.hub = hub;
        this.config = config;
        this.json = json;
        this.vertx = vertx;
        this.origin = replica.id();
    }

    void start(@Observes StartupEvent event) {
        subscribe();
        vertx.setPeriodic(config.resubscribeInterval().toMillis(), id -> check());
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Hands committed events of a run to every replica's watchers (this one's first). */
    public void publish(TenantRef tenant, UUID projectId, UUID runId, String runKind, List<ObjectNode> events) {
        if (events.isEmpty()) {
            return;
        }
        hub.published(projectId, runId, runKind, events);
        ObjectNode message = json.createObjectNode().put("origin", origin).put("tenant_id", tenant.id().toString())
                .put("project_id", projectId == null ? null : projectId.toString()).put("run_id", runId.toString())
                .put("run_kind", runKind);
        ArrayNode list = message.putArray("events");
        events.forEach(list::add);
        pubsub.publish(config.channel(), message.toString()).subscribe().with(ok -> { },
                failure -> LOG.debugf("Publishing events of run %s failed: %s", runId, failure.toString()));
    }

    private void subscribe() {
        if (stopping || !subscribing.compareAndSet(false, true)) {
            return;
        }
        pubsub.subscribe(config.channel(), this::received, this::lost, failure -> lost())
                .onTermination().invoke(() -> subscribing.set(false))
                .subscribe().with(s -> {
                    subscriber = s;
                    lastHeard = System.nanoTime();
                    hub.redisDelivering(true);
                }, failure -> lost());
    }

    private void lost() {
        subscriber = null;
        hub.redisDelivering(false);
    }

    /** Publishes this replica's heartbeat, and falls back to the log when the last ones were not heard. */
    private void check() {
        if (stopping) {
            return;
        }
        long silentFor = System.nanoTime() - lastHeard;
        if (subscriber == null) {
            subscribe();
        } else if (silentFor > 3 * config.resubscribeInterval().toNanos()) {
            ReactivePubSubCommands.ReactiveRedisSubscriber stale = subscriber;
            lost();
            stale.unsubscribe().subscribe().with(ok -> { }, failure -> { });
            subscribe();
        }
        pubsub.publish(config.channel(), json.createObjectNode().put("origin", origin).put("type", HEARTBEAT).toString())
                .subscribe().with(ok -> { }, failure -> { });
    }

    private void received(String text) {
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (Exception e) {
            LOG.debugf("Ignoring an unreadable run event message: %s", e.toString());
            return;
        }
        if (origin.equals(message.path("origin").asText())) {
            lastHeard = System.nanoTime(); // our own messages prove the subscription works; our events were delivered
            return;
        }
        if (HEARTBEAT.equals(message.path("type").asText()) || !message.hasNonNull("run_id")) {
            return;
        }
        List<ObjectNode> events = new ArrayList<>();
        message.path("events").forEach(e -> events.add((ObjectNode) e));
        UUID projectId = message.hasNonNull("project_id") ? UUID.fromString(message.get("project_id").asText()) : null;
        hub.published(projectId, UUID.fromString(message.get("run_id").asText()), message.path("run_kind").asText(), events);
    }
}
