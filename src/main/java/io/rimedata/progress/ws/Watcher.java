package io.rimedata.progress.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.function.Function;

/**
 * One WebSocket watching one run: a bounded queue of messages sent one at a time, so a slow client only ever
 * fills its own queue. Under pressure consecutive {@code step.progress} of one step collapse into the latest; a
 * client that still falls behind gets a fresh snapshot, and if it falls behind again soon after it is closed with
 * 1013. After {@code run.finished} (or a snapshot of a run that has ended) the socket is closed with 1000.
 */
public final class Watcher {

    /** Answers what a watcher needs from the outside: the socket, and a snapshot of the run when it resyncs. */
    public interface Channel {

        Uni<Void> send(String text);

        void close(int code, String reason);

        Uni<ObjectNode> snapshot();
    }

    private final Channel channel;
    /** Watching one run: its end ends the socket. The project feed carries many runs and stays open. */
    private final boolean oneRun;
    private final int queueLimit;
    private final int coalesceAbove;
    private final long overflowWindowNanos;
    private final Deque<ObjectNode> queue = new ArrayDeque<>();
    private final Function<ObjectNode, String> encoder;
    private long lastSeq;
    private boolean sending;
    private boolean resyncing;
    private boolean closed;
    private long lastOverflow = Long.MIN_VALUE;
    private int sent;

    public Watcher(Channel channel, boolean oneRun, long startSeq, int queueLimit, int coalesceAbove, Duration overflowWindow,
            Function<ObjectNode, String> encoder) {
        this.channel = channel;
        this.oneRun = oneRun;
        this.lastSeq = startSeq;
        this.queueLimit = queueLimit;
        this.coalesceAbove = coalesceAbove;
        this.overflowWindowNanos = overflowWindow.toNanos();
        this.encoder = encoder;
    }

    /** The position of the last event this watcher was given (sent or queued). */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    public synchronized int queued() {
        return queue.size();
    }

    public synchronized int sent() {
        return sent;
    }

    /** Queues a message that does not take part in the run's numbering (the first snapshot). */
    public synchronized void sendFirst(ObjectNode message, long seq) {
        lastSeq = seq;
        queue.addFirst(message);
        pump();
    }

    /**
     * Offers the run's event {@code seq}; answers false when it does not follow this watcher's last one (the caller
     * then has to fill the gap from the log first). Earlier events are ignored.
     */
    public synchronized boolean offer(ObjectNode event) {
        long seq = event.path("seq").asLong();
        if (closed || resyncing || seq <= lastSeq) {
            return true;
        }
        if (seq != lastSeq + 1) {
            return false;
        }
        lastSeq = seq;
        if (queue.size() >= queueLimit) {
            overflow();
            return true;
        }
        if (queue.size() >= coalesceAbove && "step.progress".equals(event.path("type").asText())) {
            coalesce(event);
        } else {
            queue.addLast(event);
        }
        pump();
        return true;
    }

    /** Queues a message outside any run's numbering (the project feed); a full queue closes with 1013. */
    public synchronized void push(ObjectNode message) {
        if (closed) {
            return;
        }
        if (queue.size() >= queueLimit) {
            closeWith(1013, "Falling behind: reconnect.");
            return;
        }
        queue.addLast(message);
        pump();
    }

    /** Replaces a waiting progress message of the same step, if it is the last one queued. */
    private void coalesce(ObjectNode event) {
        ObjectNode last = queue.peekLast();
        String step = event.path("step_key").asText();
        if (last != null && "step.progress".equals(last.path("type").asText()) && step.equals(last.path("step_key").asText())) {
            queue.pollLast();
        }
        queue.addLast(event);
    }

    private void overflow() {
        long now = System.nanoTime();
        if (lastOverflow != Long.MIN_VALUE && now - lastOverflow < overflowWindowNanos) {
            closeWith(1013, "Falling behind: reconnect with since_seq to resume.");
            return;
        }
        lastOverflow = now;
        queue.clear();
        resyncing = true;
        channel.snapshot().subscribe().with(snapshot -> {
            synchronized (this) {
                resyncing = false;
                if (closed) {
                    return;
                }
                lastSeq = snapshot.path("seq").asLong();
                queue.addLast(snapshot);
                pump();
            }
        }, failure -> closeWith(1011, "Could not resynchronise."));
    }

    /** Sends the next waiting message once the previous one has been written. */
    private void pump() {
        if (sending || closed || queue.isEmpty()) {
            return;
        }
        ObjectNode next = queue.pollFirst();
        sending = true;
        boolean finished = oneRun && ("run.finished".equals(next.path("type").asText())
                || "snapshot".equals(next.path("type").asText()) && next.path("finished").asBoolean(false));
        channel.send(encoder.apply(next)).subscribe().with(ok -> afterSend(finished), failure -> closeWith(1011, "Send failed."));
    }

    private void afterSend(boolean finished) {
        synchronized (this) {
            sending = false;
            sent++;
            if (finished) {
                closeWith(1000, "The run has finished.");
                return;
            }
            pump();
        }
    }

    public synchronized void closeWith(int code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        channel.close(code, reason);
    }

    /** Messages waiting, for tests and metrics. */
    synchronized Iterator<ObjectNode> waiting() {
        return queue.iterator();
    }
}
