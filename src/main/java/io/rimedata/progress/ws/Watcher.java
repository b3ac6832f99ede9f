package io.rimedata.progress.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
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
    private final Deque<Outgoing> queue = new ArrayDeque<>();
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

    /** A message waiting to be sent; {@code text} is encoded once per event and shared by every watcher of it. */
    private record Outgoing(ObjectNode node, String text) {

        String type() {
            return node.path("type").asText();
        }
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
        queue.addFirst(new Outgoing(message, null));
        pump();
    }

    /**
     * Offers the run's event {@code seq}; answers false when it does not follow this watcher's last one (the caller
     * then has to fill the gap from the log first). Earlier events are ignored.
     */
    public boolean offer(ObjectNode event) {
        return offer(event, null);
    }

    /** As {@link #offer(ObjectNode)}, with the event already encoded (once, for all its watchers). */
    public synchronized boolean offer(ObjectNode event, String text) {
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
        Outgoing outgoing = new Outgoing(event, text);
        if (queue.size() >= coalesceAbove && "step.progress".equals(outgoing.type())) {
            coalesce(outgoing);
        } else {
            queue.addLast(outgoing);
        }
        pump();
        return true;
    }

    /** Queues a message outside any run's numbering (the project feed); a full queue closes with 1013. */
    public void push(ObjectNode message) {
        push(message, null);
    }

    public synchronized void push(ObjectNode message, String text) {
        if (closed) {
            return;
        }
        if (queue.size() >= queueLimit) {
            closeWith(1013, "Falling behind: reconnect.");
            return;
        }
        queue.addLast(new Outgoing(message, text));
        pump();
    }

    /** Replaces a waiting progress message of the same step, if it is the last one queued. */
    private void coalesce(Outgoing event) {
        Outgoing last = queue.peekLast();
        String step = event.node().path("step_key").asText();
        if (last != null && "step.progress".equals(last.type()) && step.equals(last.node().path("step_key").asText())) {
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
                queue.addLast(new Outgoing(snapshot, null));
                pump();
            }
        }, failure -> closeWith(1011, "Could not resynchronise."));
    }

    /** Sends the next waiting message once the previous one has been written. */
    private void pump() {
        if (sending || closed || queue.isEmpty()) {
            return;
        }
        Outgoing next = queue.pollFirst();
        sending = true;
        boolean finished = oneRun && ("run.finished".equals(next.type())
                || "snapshot".equals(next.type()) && next.node().path("finished").asBoolean(false));
        channel.send(next.text() != null ? next.text() : encoder.apply(next.node())).subscribe().with(ok -> afterSend(finished), failure -> closeWith(1011, "Send failed."));
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
}
