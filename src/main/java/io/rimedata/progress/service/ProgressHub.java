package io.rimedata.progress.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.StartupEvent;
import io.rimedata.platform.background.Background;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.progress.ProgressConfig;
import io.rimedata.progress.WatchTarget;
import io.rimedata.progress.ws.Watcher;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.jboss.logging.Logger;

/**
 * This replica's watchers: one {@link RunFeed} per watched run, and the watchers of each project's feed. Events
 * reach it from this replica's writers directly and from other replicas through {@link RunEventBus}; every feed is
 * also checked against the event log on a timer — often while Redis is unreachable, rarely otherwise — so a
 * watcher never misses an event whichever way it travels.
 */
@ApplicationScoped
public class ProgressHub {

    private static final Logger LOG = Logger.getLogger(ProgressHub.class);
    static final int BATCH = 500;
    /** What the project feed carries: run lifecycle, not progress or log lines. */
    private static final Set<String> LIFECYCLE = Set.of("run.status", "step.status", "table.status", "run.finished");

    private final Map<UUID, RunFeed> feeds = new ConcurrentHashMap<>();
    private final Map<UUID, Set<Watcher>> projects = new ConcurrentHashMap<>();
    private final RunEventLog events;
    private final RunSnapshots snapshots;
    private final ProgressConfig config;
    private final Vertx vertx;
    private final Background background;
    private final ObjectMapper json;
    private volatile boolean redisDelivering;
    private volatile boolean stopping;
    private long lastPoll;

    ProgressHub(RunEventLog events, RunSnapshots snapshots, ProgressConfig config, Vertx vertx, ObjectMapper json,
            Background background) {
        this.background = background;
        this.events = events;
        this.snapshots = snapshots;
        this.config = config;
        this.vertx = vertx;
        this.json = json;
    }

    void start(@Observes StartupEvent event) {
        long tick = config.fallbackPollInterval().toMillis();
        vertx.setPeriodic(tick, id -> {
            long now = System.currentTimeMillis();
            long every = redisDelivering ? config.safetyPollInterval().toMillis() : tick;
            if (now - lastPoll >= every) {
                lastPoll = now;
                feeds.values().forEach(RunFeed::catchUp);
            }
        });
    }

    /**
     * Sockets close with 1001 as soon as shutdown begins (before in-flight requests are waited for, which an open
     * socket would hold up), so clients reconnect to another replica and resume by seq.
     */
    void stop(@Observes ShutdownDelayInitiatedEvent event) {
        stopping = true;
        int closed = 0;
        for (RunFeed feed : feeds.values()) {
            for (Watcher w : feed.watchers()) {
                w.closeWith(1001, "The server is shutting down; reconnect with since_seq.");
                closed++;
            }
        }
        for (Set<Watcher> watchers : projects.values()) {
            for (Watcher w : watchers) {
                w.closeWith(1001, "The server is shutting down.");
                closed++;
            }
        }
        LOG.infof("Shutting down: closed %d watcher socket(s) with 1001", closed);
    }

    /** Whether Redis is currently carrying other replicas' events (else the event log is polled often). */
    void redisDelivering(boolean delivering) {
        if (this.redisDelivering != delivering) {
            LOG.infof(delivering ? "Run events arrive through Redis" : "Run events are read from the event log "
                    + "every %d ms until Redis is back", config.fallbackPollInterval().toMillis());
        }
        this.redisDelivering = delivering;
        if (delivering) {
            feeds.values().forEach(RunFeed::catchUp);
        }
    }

    public boolean isStopping() {
        return stopping;
    }

    /**
     * Starts watching a run: a snapshot first (or, with {@code since_seq} no older than the replay limit, exactly the
     * events after it), then every event in order.
     */
    public Uni<Watcher> watchRun(WatchTarget target, Watcher.Channel channel) {
        return snapshots.of(target).chain(snapshot -> {
            long at = snapshot.path("seq").asLong();
            Long since = target.sinceSeq();
            boolean replay = since != null && since <= at && at - since <= config.replayLimit();
            Watcher watcher = new Watcher(channel, true, replay ? since : at, config.queueLimit(), config.coalesceAbove(),
                    config.overflowWindow(), ObjectNode::toString);
            if (!replay) {
                watcher.sendFirst(snapshot, at);
            }
            boolean[] created = new boolean[1];
            RunFeed feed = feeds.computeIfAbsent(target.runId(), id -> {
                created[0] = true;
                return new RunFeed(target.tenant(), id, at, from -> read(target.tenant(), id, from));
            });
            if (created[0]) {
                feed.catchUp(); // events committed between the snapshot and the feed's creation
            }
            return feed.attach(watcher).replaceWith(watcher);
        });
    }

    public void unwatchRun(UUID runId, Watcher watcher) {
        RunFeed feed = feeds.get(runId);
        if (feed != null) {
            feed.detach(watcher);
            feeds.computeIfPresent(runId, (id, f) -> f.watchers().isEmpty() ? null : f);
        }
    }

    /** Starts watching a project's run lifecycle events (events of many runs, so no snapshot or replay). */
    public Watcher watchProject(WatchTarget target, Watcher.Channel channel) {
        Watcher watcher = new Watcher(channel, false, 0, config.queueLimit(), config.coalesceAbove(), config.overflowWindow(),
                ObjectNode::toString);
        watcher.sendFirst(json.createObjectNode().put("type", "subscribed").put("project_id", target.projectId().toString()), 0);
        projects.computeIfAbsent(target.projectId(), id -> new CopyOnWriteArraySet<>()).add(watcher);
        return watcher;
    }

    public void unwatchProject(UUID projectId, Watcher watcher) {
        Set<Watcher> watchers = projects.get(projectId);
        if (watchers != null) {
            watchers.remove(watcher);
        }
    }

    /** Events of a run, from this replica's writers or from Redis; duplicates are ignored by position. */
    public void published(UUID projectId, UUID runId, String runKind, List<ObjectNode> runEvents) {
        RunFeed feed = feeds.get(runId);
        if (feed != null) {
            feed.offer(runEvents);
        }
        Set<Watcher> watchers = projectId == null ? null : projects.get(projectId);
        if (watchers != null && !watchers.isEmpty()) {
            for (ObjectNode event : runEvents) {
                if (LIFECYCLE.contains(event.path("type").asText())) {
                    ObjectNode tagged = event.deepCopy().put("run_id", runId.toString()).put("run_kind", runKind);
                    String text = tagged.toString();
                    watchers.forEach(w -> w.push(tagged, text));
                }
            }
        }
    }

    /** Watched runs on this replica, for metrics and tests. */
    public int watchedRuns() {
        return feeds.size();
    }

    private Uni<List<ObjectNode>> read(TenantRef tenant, UUID runId, long after) {
        // the log is read from timers and Redis callbacks: each read gets a context Hibernate Reactive accepts
        return background.detached(() -> DatabaseScope.session(tenant, () -> events.page(tenant, runId, after, null, BATCH)));
    }
}
