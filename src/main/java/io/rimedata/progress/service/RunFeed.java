package io.rimedata.progress.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.progress.ws.Watcher;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.LongFunction;
import org.jboss.logging.Logger;

/**
 * The watchers of one run on this replica and the position the replica has delivered up to. Events arrive from
 * this replica's own writers, from Redis, or from the event log; whatever the source, they reach watchers in
 * {@code seq} order without gaps: an event that does not follow the last delivered one makes the feed read the gap
 * from the log first (one reader at a time).
 */
final class RunFeed {

    private static final Logger LOG = Logger.getLogger(RunFeed.class);

    final TenantRef tenant;
    final UUID runId;
    private final Set<Watcher> watchers = new CopyOnWriteArraySet<>();
    /** Reads the events after a position from the log, oldest first. */
    private final LongFunction<Uni<List<ObjectNode>>> log;
    private long delivered;
    private boolean reading;
    private boolean readAgain;

    RunFeed(TenantRef tenant, UUID runId, long delivered, LongFunction<Uni<List<ObjectNode>>> log) {
        this.tenant = tenant;
        this.runId = runId;
        this.delivered = delivered;
        this.log = log;
    }

    Set<Watcher> watchers() {
        return watchers;
    }

    synchronized long delivered() {
        return delivered;
    }

    /**
     * Adds a watcher positioned at {@code seq}. A watcher behind the feed is brought up to it from the log before it
     * receives live events; one ahead of it simply skips what it already has.
     */
    Uni<Void> attach(Watcher watcher) {
        long feedAt = delivered();
        if (watcher.lastSeq() >= feedAt) {
            watchers.add(watcher);
            return Uni.createFrom().voidItem();
        }
        return log.apply(watcher.lastSeq()).chain(events -> {
            events.forEach(watcher::offer);
            if (watcher.lastSeq() >= delivered()) {
                watchers.add(watcher);
                return Uni.createFrom().voidItem();
            }
            return attach(watcher);
        });
    }

    void detach(Watcher watcher) {
        watchers.remove(watcher);
    }

    /** Events of this run from any source, in any order; delivers what follows, and reads gaps from the log. */
    void offer(List<ObjectNode> events) {
        boolean gap = false;
        synchronized (this) {
            for (ObjectNode event : events) {
                long seq = event.path("seq").asLong();
                if (seq == delivered + 1) {
                    delivered = seq;
                    deliver(event);
                } else if (seq > delivered + 1) {
                    gap = true;
                    break;
                }
            }
        }
        if (gap) {
            catchUp();
        }
    }

    /** Reads everything after the delivered position from the log (polls and gaps). */
    void catchUp() {
        synchronized (this) {
            if (reading) {
                readAgain = true;
                return;
            }
            reading = true;
            readAgain = false;
        }
        long from = delivered();
        log.apply(from).subscribe().with(events -> {
            boolean again;
            synchronized (this) {
                for (ObjectNode event : events) {
                    long seq = event.path("seq").asLong();
                    if (seq == delivered + 1) {
                        delivered = seq;
                        deliver(event);
                    }
                }
                reading = false;
                again = readAgain || !events.isEmpty() && events.size() >= ProgressHub.BATCH;
            }
            if (again) {
                catchUp();
            }
        }, failure -> {
            synchronized (this) {
                reading = false;
            }
            LOG.debugf("Reading events of run %s failed: %s", runId, failure.toString());
        });
    }

    private void deliver(ObjectNode event) {
        String text = watchers.isEmpty() ? null : event.toString(); // once, however many watch
        for (Watcher w : watchers) {
            if (!w.offer(event, text)) {
                // the watcher is ahead or behind in a way the feed cannot serve: bring it up from the log
                watchers.remove(w);
                attach(w).subscribe().with(v -> { }, f -> w.closeWith(1011, "Could not resume."));
            }
        }
    }
}
