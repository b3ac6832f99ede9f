package io.rimedata.progress.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Back-pressure of one socket: a slow client fills only its own queue, is resynchronised, then closed with 1013. */
class WatcherTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A socket whose writes complete only when the test says so (or at once, for a fast client). */
    private static final class FakeChannel implements Watcher.Channel {
        final List<String> sent = new CopyOnWriteArrayList<>();
        final List<UniEmitter<? super Void>> pending = new ArrayList<>();
        final boolean fast;
        long snapshotSeq;
        int closedWith = -1;

        FakeChannel(boolean fast) {
            this.fast = fast;
        }

        @Override
        public Uni<Void> send(String text) {
            sent.add(text);
            return fast ? Uni.createFrom().voidItem() : Uni.createFrom().emitter(pending::add);
        }

        @Override
        public void close(int code, String reason) {
            closedWith = code;
        }

        @Override
        public Uni<ObjectNode> snapshot() {
            return Uni.createFrom().item(JSON.createObjectNode().put("type", "snapshot").put("seq", snapshotSeq).put("finished", false));
        }

        void releaseAll() {
            while (!pending.isEmpty()) {
                pending.removeFirst().complete(null);
            }
        }
    }

    private static ObjectNode event(long seq, String type, String step) {
        return JSON.createObjectNode().put("seq", seq).put("type", type).put("step_key", step);
    }

    private static Watcher watcher(FakeChannel channel) {
        return new Watcher(channel, true, 0, 8, 4, Duration.ofSeconds(30), ObjectNode::toString);
    }

    @Test
    void aSlowClientDoesNotHoldUpAFastOne() {
        FakeChannel slow = new FakeChannel(false);
        FakeChannel fast = new FakeChannel(true);
        Watcher slowWatcher = watcher(slow);
        Watcher fastWatcher = watcher(fast);
        for (long seq = 1; seq <= 6; seq++) {
            ObjectNode e = event(seq, "step.status", "a");
            slowWatcher.offer(e);
            fastWatcher.offer(e);
        }
        assertEquals(6, fast.sent.size(), "the fast client got everything at once");
        assertEquals(1, slow.sent.size(), "the slow one has one write in flight");
        assertEquals(5, slowWatcher.queued());
        slow.releaseAll();
        slow.releaseAll();
        while (!slow.pending.isEmpty()) {
            slow.releaseAll();
        }
        assertEquals(6, slow.sent.size(), "and gets the rest, in order, once it reads");
    }

    @Test
    void progressOfOneStepCollapsesUnderPressureButNothingElseIsDropped() throws Exception {
        FakeChannel slow = new FakeChannel(false);
        Watcher w = watcher(slow);
        w.offer(event(1, "step.status", "a")); // in flight
        for (long seq = 2; seq <= 5; seq++) {
            w.offer(event(seq, "step.status", "a")); // 4 waiting: the coalescing threshold
        }
        w.offer(event(6, "step.progress", "a"));
        w.offer(event(7, "step.progress", "a"));
        w.offer(event(8, "step.progress", "a"));
        w.offer(event(9, "step.status", "b"));
        while (!slow.pending.isEmpty()) {
            slow.releaseAll();
        }
        List<Long> seqs = new ArrayList<>();
        for (String text : slow.sent) {
            seqs.add(JSON.readTree(text).path("seq").asLong());
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 8L, 9L), seqs, "progress 6 and 7 were superseded by 8");
    }

    @Test
    void aClientThatFallsBehindGetsASnapshotThenIsClosedWith1013() throws Exception {
        FakeChannel slow = new FakeChannel(false);
        Watcher w = watcher(slow);
        for (long seq = 1; seq <= 9; seq++) {
            w.offer(event(seq, "step.status", "k" + seq)); // 1 in flight, 8 waiting: the limit
        }
        slow.snapshotSeq = 10;
        w.offer(event(10, "step.status", "k10"));
        assertEquals(10, w.lastSeq(), "resynchronised to the snapshot");
        assertEquals(1, w.queued(), "only the snapshot waits");
        assertFalse(w.isClosed());
        slow.releaseAll();
        assertEquals("snapshot", JSON.readTree(slow.sent.getLast()).path("type").asText());
        for (long seq = 11; seq <= 20; seq++) {
            w.offer(event(seq, "step.status", "k" + seq));
        }
        assertTrue(w.isClosed(), "falling behind again soon after closes the socket");
        assertEquals(1013, slow.closedWith);
    }

    @Test
    void anEventThatSkipsAheadIsRefusedSoTheFeedCanFillTheGap() {
        FakeChannel fast = new FakeChannel(true);
        Watcher w = watcher(fast);
        assertTrue(w.offer(event(1, "run.status", null)));
        assertFalse(w.offer(event(3, "run.status", null)), "2 is missing");
        assertTrue(w.offer(event(1, "run.status", null)), "a duplicate is ignored");
        assertEquals(1, fast.sent.size());
        assertTrue(w.offer(event(2, "run.finished", null)));
        assertEquals(1000, fast.closedWith, "the run's end closes the socket normally");
    }
}
