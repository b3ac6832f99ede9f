import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many WebSocket watchers of one pipeline run, fed by a writer that behaves like another replica: each event is
 * committed to the run's log (run row bumped, event row inserted, one transaction) and then published on the Redis
 * channel the server listens to. The server cannot tell it from its own orchestrator on another pod, and the event
 * rate does not depend on any step actually running.
 *
 * <p>Only {@code step.log} events are written: the server never coalesces them, so every seq must arrive. A watcher
 * checks that seqs follow one another; a resync snapshot moves it forward on purpose (its skipped events are
 * "resynced"), anything else missing is "lost". Latency is the receive time minus {@code sent_at}, the writer's
 * clock right after its commit, on the same machine.
 *
 * <p>Prints {@code BENCH key=value} lines for the calling script; raw figures go to {@code --out}.
 */
public class WsFanout {

    static final byte[] SEQ = bytes("\"seq\":");
    static final byte[] SENT_AT = bytes("\"sent_at\":");
    static final byte[] WRITTEN_AT = bytes("\"written_at\":");
    static final byte[] SNAPSHOT = bytes("\"type\":\"snapshot\"");
    static final byte[] STEP_LOG = bytes("\"type\":\"step.log\"");
    static final byte[] MARKER = bytes("\"marker\":true");
    /** A typical width for a line of step output; the payload size matters for TLS and copying costs. */
    static final String LINE = "transform model: processed batch of rows, flushing staged output to the warehouse";

    final Opts o;
    final Vertx vertx;
    final WebSocketClient client;
    final Path out;

    WsFanout(Opts o) throws IOException {
        this.o = o;
        this.out = Path.of(o.str("out"));
        Files.createDirectories(out);
        // Vert.x's blocked-thread warnings are about its own event loops; a busy 2-core box trips them without
        // anything being wrong, so the check only reports real stalls.
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(o.integer("event-loops", 2))
                .setBlockedThreadCheckInterval(10).setBlockedThreadCheckIntervalUnit(TimeUnit.SECONDS));
        int most = o.integer("watchers", 500) + o.integer("warmup-watchers", 0) + 16;
        client = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
                .setMaxConnections(most).setConnectTimeout(30_000).setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 24));
    }

    public static void main(String[] args) throws Exception {
        WsFanout bench = new WsFanout(Opts.parse(args));
        int code;
        try {
            code = bench.run();
        } finally {
            bench.vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        System.exit(code);
    }

    int run() throws Exception {
        int watchers = o.integer("watchers", 500);
        int rate = o.integer("rate", 200);
        int seconds = o.integer("seconds", 30);
        Writer writer = new Writer(o);
        Server server = new Server(o, out);
        try {
            long startSeq = writer.check();
            log("run %s is %s at seq %d; server PID %s", o.str("run"), writer.status, startSeq, server.pid == 0 ? "unknown" : server.pid);
            if (!"running".equals(writer.status)) {
                log("the run must be running: the writer's events would otherwise follow a finished run");
                return 2;
            }

            // The first sockets and events of a fresh JVM pay for class loading and JIT compilation of the handshake and
            // delivery paths; a warm-up group pays instead, so neither the memory baseline nor the latencies include it.
            int warm = o.integer("warmup-watchers", 0);
            if (warm > 0) {
                Group w = new Group("warm-up", warm);
                connect(w);
                publish(w, writer, server, rate, o.integer("warmup-seconds", 5));
                w.closeAll();
                log("warm-up: %d sockets, %d delivered of %d expected, %d lost, %d resyncs", w.connected.get(),
                        w.sum(s -> s.delivered), w.expected(), w.sum(s -> s.lost), w.sum(s -> s.resyncs));
            }

            Memory before = server.memory("before");
            Group g = new Group("watchers", watchers);
            long connectStart = System.nanoTime();
            connect(g);
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            // Idle means no event traffic: the sockets have had their snapshot and wait.
            Thread.sleep(o.integer("idle-settle", 3) * 1000L);
            Memory idle = server.memory("idle");
            Phase p = publish(g, writer, server, rate, seconds);
            print(g, p, before, idle, connectSeconds, rate, seconds);
            g.perSocket(out.resolve("sockets-" + watchers + "x" + rate + ".csv"));
            g.latencyBySecond(out.resolve("latency-by-second-" + watchers + "x" + rate + ".txt"));
            Memory.histogramDelta(before, idle, out.resolve("heap-delta-" + watchers + ".txt"));
            g.closeAll();
            return 0;
        } finally {
            writer.close();
        }
    }

    // ---- Connecting ---------------------------------------------------------------------------------------------

    /**
     * Opens the group's sockets with at most --handshakes in flight, the way a crowd of browsers would. A socket is in
     * flight from its connect until its first snapshot: the server's work for a new watcher (the handshake's checks,
     * then the snapshot when the endpoint opens) ends there. A refused handshake, or a socket closed before its
     * snapshot, is tried again after a second (the server answers 503 with Retry-After: 1), up to
     * --handshake-attempts times, keeping its slot meanwhile; every refusal is counted.
     */
    void connect(Group g) throws InterruptedException {
        int inFlight = Math.min(o.integer("handshakes", 200), g.socks.length);
        int attempts = o.integer("handshake-attempts", 5);
        CountDownLatch done = new CountDownLatch(g.socks.length);
        AtomicInteger next = new AtomicInteger();
        String uri = "/api/v1/projects/" + o.str("project") + "/pipelines/" + o.str("pipeline") + "/runs/" + o.str("run") + "/progress";
        String token = o.token();
        Slot slot = new Slot() {
            @Override
            public void next() {
                int i = next.getAndIncrement();
                if (i < g.socks.length) {
                    open(i, 1);
                }
            }

            void open(int i, int attempt) {
                Sock s = new Sock(g, i, this, attempt);
                g.socks[i] = s;
                ClientWebSocket ws = client.webSocket();
                s.ws = ws;
                ws.frameHandler(s::frame);
                ws.closeHandler(v -> s.closed(ws.closeStatusCode(), ws.closeReason()));
                ws.exceptionHandler(e -> g.errors.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1, Integer::sum));
                WebSocketConnectOptions options = new WebSocketConnectOptions().setSsl(true).setHost(o.str("address"))
                        .setPort(o.integer("port", 18443)).setURI(uri).addHeader("Host", o.str("host-header"))
                        .addHeader("Authorization", "Bearer " + token).setTimeout(60_000);
                ws.connect(options).onComplete(ar -> {
                    if (ar.failed()) {
                        refused(s, String.valueOf(ar.cause().getMessage()).replace("WebSocket upgrade failure: ", "HTTP "));
                    }
                });
            }

            @Override
            public void ready(Sock s) {
                g.handshake.record((System.nanoTime() - s.connectStart) / 1000);
                g.connected.incrementAndGet();
                done.countDown();
                next();
            }

            @Override
            public void refused(Sock s, String why) {
                if (s.failed) {
                    return; // a failed upgrade may also report a close
                }
                s.failed = true;
                g.connectFailures.merge(why, 1, Integer::sum);
                if (s.attempt < attempts) {
                    vertx.setTimer(1000, id -> open(s.index, s.attempt + 1));
                    return;
                }
                done.countDown();
                next();
            }
        };
        for (int i = 0; i < inFlight; i++) {
            vertx.runOnContext(v -> slot.next());
        }
        long start = System.nanoTime();
        while (!done.await(5, TimeUnit.SECONDS)) {
            log("%s: %d of %d sockets open, %d refusals so far", g.label, g.connected.get(), g.socks.length,
                    g.connectFailures.values().stream().mapToInt(Integer::intValue).sum());
            if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(600)) {
                log("%s: giving up on the remaining handshakes", g.label);
                break;
            }
        }
        if (!g.connectFailures.isEmpty()) {
            log("%s: refused handshakes (each attempt counted): %s", g.label, g.connectFailures);
        }
    }

    /** What a socket reports while it is being opened. */
    interface Slot {
        void next();

        void ready(Sock s);

        void refused(Sock s, String why);
    }

    // ---- Publishing -----------------------------------------------------------------------------------------------

    record Phase(long published, long firstSeq, long markerSeq, double publishSeconds, double drainSeconds, long lagMaxMicros,
            long transactions, long largestBatch, Writer.Stats writer, Cpu cpu0, Cpu cpu1, String hotThreads, long peakOmem,
            long peakServerSendQueues, long peakClientReceiveQueues, String profile) {
    }

    /**
     * Writes rate × seconds events on a fixed schedule, then a marker, and waits until every open socket has received
     * the marker or been closed. Events are never skipped: when the writer is late (a slow commit on a busy machine),
     * everything already due goes out in one transaction and one message, as a replica's transition with several
     * events would, so the rate holds on average.
     */
    Phase publish(Group g, Writer writer, Server server, int rate, int seconds) throws Exception {
        long n = (long) rate * seconds;
        long period = 1_000_000_000L / rate;
        long drainLimit = TimeUnit.SECONDS.toNanos(o.integer("drain", 60));
        Cpu cpu0 = Cpu.sample(writer.serverPid);
        Map<Long, Long> threads0 = Cpu.threads(writer.serverPid);
        OutputBuffers buffers = new OutputBuffers(o);
        buffers.start();
        boolean profiling = !"warm-up".equals(g.label) && "1".equals(o.str("profile", "0")) && server.startProfile();
        g.phaseStartMicros = nowMicros();
        long t0 = System.nanoTime();
        long lagMax = 0;
        long firstSeq = -1;
        long transactions = 0;
        long largest = 0;
        long nextReport = t0 + TimeUnit.SECONDS.toNanos(5);
        long written = 0;
        while (written < n) {
            long due = t0 + written * period;
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            lagMax = Math.max(lagMax, now - due);
            int k = (int) Math.min(Math.min(n - written, (now - t0) / period + 1 - written), 100);
            long seq = writer.write(Math.max(1, k), false, g);
            written += Math.max(1, k);
            transactions++;
            largest = Math.max(largest, k);
            if (firstSeq < 0) {
                firstSeq = seq - Math.max(1, k) + 1;
            }
            if (now >= nextReport) {
                nextReport += TimeUnit.SECONDS.toNanos(5);
                log("%s: %d s, %d published, %d delivered, %d resyncs, %d closed", g.label, (now - t0) / 1_000_000_000L, written,
                        g.delivered.sum(), g.resyncs.sum(), g.closed.get());
            }
        }
        long marker = writer.write(1, true, g);
        double publishSeconds = (System.nanoTime() - t0) / 1e9;
        long drainStart = System.nanoTime();
        long drainReport = drainStart + TimeUnit.SECONDS.toNanos(5);
        while (g.finished() < g.connected.get() && System.nanoTime() - drainStart < drainLimit) {
            Thread.sleep(20);
            if (System.nanoTime() >= drainReport) {
                drainReport += TimeUnit.SECONDS.toNanos(5);
                log("%s: draining, %d of %d sockets have the marker or are closed, %d delivered", g.label, g.finished(),
                        g.connected.get(), g.delivered.sum());
            }
        }
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        Cpu cpu1 = Cpu.sample(writer.serverPid);
        Map<Long, Long> threads1 = Cpu.threads(writer.serverPid);
        buffers.interrupt();
        buffers.join();
        String hot = server.hotThreads(threads0, threads1, 4);
        String profile = profiling ? server.stopProfile(g.label) : "off";
        return new Phase(n + 1, firstSeq, marker, publishSeconds, drainSeconds, lagMax / 1000, transactions + 1, largest,
                writer.stats(), cpu0, cpu1, hot, buffers.peak, buffers.peakServerSendQueues, buffers.peakClientReceiveQueues, profile);
    }

    // ---- Report ---------------------------------------------------------------------------------------------------

    void print(Group g, Phase p, Memory before, Memory idle, double connectSeconds, int rate, int seconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        int n = g.socks.length;
        r.put("watchers", n);
        r.put("connected", g.connected.get());
        r.put("connect_failed", n - g.connected.get());
        r.put("handshake_refusals", g.connectFailures.values().stream().mapToInt(Integer::intValue).sum());
        r.put("handshake_refusal_kinds", g.connectFailures.isEmpty() ? "none"
                : new TreeMap<>(g.connectFailures).toString().replace("WebSocket upgrade failure: ", "").replace(' ', '_'));
        r.put("connect_s", fmt(connectSeconds, 1));
        r.put("handshake_p50_ms", fmt(g.handshake.percentile(50) / 1000.0, 1));
        r.put("handshake_p99_ms", fmt(g.handshake.percentile(99) / 1000.0, 1));
        r.put("rate", rate);
        r.put("seconds", seconds);
        r.put("published", p.published);
        r.put("first_seq", p.firstSeq);
        r.put("marker_seq", p.markerSeq);
        r.put("writer_rate", fmt((p.published - 1) / p.publishSeconds, 1));
        r.put("writer_lag_max_ms", fmt(p.lagMaxMicros / 1000.0, 1));
        r.put("writer_transactions", p.transactions);
        r.put("writer_largest_batch", p.largestBatch);
        r.put("redis_subscribers_min", p.writer.minSubscribers() == Long.MAX_VALUE ? "n/a" : p.writer.minSubscribers());
        r.put("redis_reconnects", p.writer.reconnects());
        r.put("redis_unpublished", p.writer.unpublished());
        r.put("expected", g.expected());
        r.put("delivered", g.sum(s -> s.delivered));
        r.put("lost", g.sum(s -> s.lost));
        r.put("gaps", g.sum(s -> s.gaps));
        r.put("resynced", g.sum(s -> s.resynced));
        r.put("resyncs", g.sum(s -> s.resyncs));
        r.put("resynced_sockets", g.count(s -> s.resyncs > 0));
        r.put("snapshot_behind", g.sum(s -> s.snapshotBehind));
        r.put("duplicates", g.sum(s -> s.duplicates));
        r.put("cut_off", g.sum(s -> s.cutOff(p.markerSeq)));
        r.put("unfinished_sockets", g.count(s -> s.unfinished(p.markerSeq)));
        r.put("undelivered_open", g.sum(s -> s.unfinished(p.markerSeq) ? p.markerSeq - s.lastSeq : 0));
        // every expected event is delivered, lost, covered by a resync, cut off by a close, or still owed to an open
        // socket when the drain ended; anything else means this client's bookkeeping is wrong
        r.put("unaccounted", g.sum(s -> s.startSeq < 0 ? 0 : (p.markerSeq - s.startSeq) - s.delivered - s.lost - s.resynced
                - s.cutOff(p.markerSeq) - (s.unfinished(p.markerSeq) ? p.markerSeq - s.lastSeq : 0)));
        r.put("closes", g.closeCodes());
        r.put("other_types", g.sum(s -> s.otherTypes));
        r.put("via_log", g.sum(s -> s.viaLog));
        r.put("fragmented", g.sum(s -> s.fragmented));
        r.put("socket_errors", g.errors.isEmpty() ? "none" : g.errors.toString().replace(' ', '_'));
        r.put("p50_ms", fmt(g.latency.percentile(50) / 1000.0, 2));
        r.put("p99_ms", fmt(g.latency.percentile(99) / 1000.0, 2));
        r.put("p999_ms", fmt(g.latency.percentile(99.9) / 1000.0, 2));
        r.put("max_ms", fmt(g.latency.max() / 1000.0, 2));
        r.put("latency_count", g.latency.count());
        r.put("log_p99_ms", g.logLatency.count() == 0 ? "n/a" : fmt(g.logLatency.percentile(99) / 1000.0, 2));
        r.put("publish_s", fmt(p.publishSeconds, 2));
        r.put("drain_s", fmt(p.drainSeconds, 2));
        double window = (p.cpu1.wallNanos - p.cpu0.wallNanos) / 1e9;
        r.put("window_s", fmt(window, 2));
        r.put("server_cpu_s", p.cpu1.server < 0 ? "n/a" : fmt(p.cpu1.server - p.cpu0.server, 2));
        r.put("server_hot_threads", p.hotThreads);
        r.put("redis_peak_subscriber_buffer_kb", p.peakOmem < 0 ? "n/a" : p.peakOmem / 1024);
        r.put("peak_server_send_queues_kb", p.peakServerSendQueues / 1024);
        r.put("peak_client_receive_queues_kb", p.peakClientReceiveQueues / 1024);
        r.put("server_profile", p.profile);
        r.put("client_cpu_s", fmt(p.cpu1.client - p.cpu0.client, 2));
        r.put("machine_busy_cpu_s", fmt(p.cpu1.machineBusy - p.cpu0.machineBusy, 2));
        r.put("machine_cpu_s", fmt(window * Runtime.getRuntime().availableProcessors(), 2));
        if (before != null && idle != null) {
            int open = g.connected.get();
            r.put("rss_before_kb", before.rssKb);
            r.put("rss_idle_kb", idle.rssKb);
            r.put("rss_per_conn_kb", fmt((idle.rssKb - before.rssKb) / (double) open, 1));
            r.put("live_heap_before", before.liveHeap);
            r.put("live_heap_idle", idle.liveHeap);
            r.put("live_heap_per_conn_kb", fmt((idle.liveHeap - before.liveHeap) / 1024.0 / open, 1));
            r.put("heap_used_before", before.heapUsed);
            r.put("heap_used_idle", idle.heapUsed);
            r.put("heap_used_per_conn_kb", fmt((idle.heapUsed - before.heapUsed) / 1024.0 / open, 1));
            r.put("top_heap_classes", Memory.topDelta(before, idle, 4, open));
        }
        String firstGap = g.firstGap();
        r.put("first_gap", firstGap == null ? "none" : firstGap);
        r.forEach((k, v) -> System.out.println("BENCH " + k + "=" + v));
        System.out.flush();
    }

    // ---- One socket -----------------------------------------------------------------------------------------------

    /** A watcher's view of the stream; touched only on its own event loop until the group is finished. */
    static final class Sock {
        final Group g;
        final int index;
        final Slot slot;
        final int attempt;
        final long connectStart = System.nanoTime();
        ClientWebSocket ws;
        boolean failed;
        long startSeq = -1;
        long lastSeq = -1;
        long delivered;
        long lost;
        long gaps;
        long resyncs;
        long resynced;
        long snapshotBehind;
        long duplicates;
        long otherTypes;
        long viaLog;
        long fragmented;
        String firstGap;
        Short closeCode;
        String closeReason;
        volatile boolean closed;
        volatile boolean done;
        private Buffer partial;

        Sock(Group g, int index, Slot slot, int attempt) {
            this.g = g;
            this.index = index;
            this.slot = slot;
            this.attempt = attempt;
        }

        void frame(WebSocketFrame f) {
            long received = nowMicros();
            if (!f.isText() && !f.isBinary() && !f.isContinuation()) {
                return; // ping, pong, close: Vert.x answers them
            }
            Buffer data = f.binaryData();
            if (!f.isFinal() || partial != null) {
                partial = partial == null ? Buffer.buffer().appendBuffer(data) : partial.appendBuffer(data);
                if (!f.isFinal()) {
                    return;
                }
                data = partial;
                partial = null;
                fragmented++;
            }
            message(data.getBytes(), received);
        }

        void message(byte[] m, long received) {
            long seq = number(m, SEQ);
            if (indexOf(m, SNAPSHOT, 64) >= 0) {
                if (startSeq < 0) {
                    startSeq = seq;
                    lastSeq = seq;
                    slot.ready(this);
                } else {
                    // the server dropped this socket's queue and sent the run as it is now: what lay between is
                    // skipped on purpose, and the client is told so by the snapshot
                    resyncs++;
                    g.resyncs.increment();
                    if (seq >= lastSeq) {
                        resynced += seq - lastSeq;
                    } else {
                        snapshotBehind++;
                    }
                    lastSeq = seq;
                }
            } else if (startSeq < 0) {
                otherTypes++; // an event before the first snapshot breaks the protocol; counted, not interpreted
                return;
            } else if (seq <= lastSeq) {
                duplicates++;
            } else {
                if (seq != lastSeq + 1) {
                    gaps++;
                    lost += seq - lastSeq - 1;
                    if (firstGap == null) {
                        firstGap = "socket " + index + " got " + seq + " after " + lastSeq;
                    }
                }
                lastSeq = seq;
                delivered++;
                g.delivered.increment();
                if (indexOf(m, STEP_LOG, 64) < 0) {
                    otherTypes++;
                }
                long sent = number(m, SENT_AT);
                if (sent != Long.MIN_VALUE) {
                    g.record(sent, received);
                } else {
                    long written = number(m, WRITTEN_AT);
                    if (written != Long.MIN_VALUE) {
                        viaLog++; // read from the event log (a gap or a poll), not taken from the Redis message
                        g.logLatency.record(Math.max(0, received - written));
                    }
                }
                if (indexOf(m, MARKER, m.length) >= 0) {
                    finish();
                }
            }
            if (lastSeq >= g.markerSeq) {
                finish();
            }
        }

        void finish() {
            if (!done) {
                done = true;
                g.done.incrementAndGet();
            }
        }

        void closed(Short code, String reason) {
            if (startSeq < 0) {
                if (!failed) {
                    slot.refused(this, "closed " + code + " before the snapshot");
                }
                return;
            }
            closeCode = code;
            closeReason = reason;
            closed = true;
            g.closed.incrementAndGet();
            g.closeCodes.merge(code == null ? "none" : code.toString(), 1, Integer::sum);
        }

        /** Events after the last one this socket had when the server closed it before the marker. */
        long cutOff(long marker) {
            return closed && !done && !failed && startSeq >= 0 && lastSeq < marker ? marker - lastSeq : 0;
        }

        boolean unfinished(long marker) {
            return !failed && !closed && !done && lastSeq < marker;
        }
    }

    // ---- A group of sockets ---------------------------------------------------------------------------------------

    static final class Group {
        final String label;
        final Sock[] socks;
        final AtomicInteger connected = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final LongAdder delivered = new LongAdder();
        final LongAdder resyncs = new LongAdder();
        final Map<String, Integer> connectFailures = new ConcurrentHashMap<>();
        final Map<String, Integer> closeCodes = new ConcurrentHashMap<>();
        final Map<String, Integer> errors = new ConcurrentHashMap<>();
        final Histo handshake = new Histo();
        final Histo latency = new Histo();
        final Histo logLatency = new Histo();
        volatile long markerSeq = Long.MAX_VALUE;
        volatile long phaseStartMicros;
        private final Histo[] bySecond = new Histo[700];

        Group(String label, int n) {
            this.label = label;
            this.socks = new Sock[n];
        }

        void record(long sentMicros, long receivedMicros) {
            long latencyMicros = Math.max(0, receivedMicros - sentMicros);
            latency.record(latencyMicros);
            int second = (int) Math.min(bySecond.length - 1, Math.max(0, (sentMicros - phaseStartMicros) / 1_000_000));
            Histo h = bySecond[second];
            if (h == null) {
                synchronized (bySecond) {
                    h = bySecond[second];
                    if (h == null) {
                        h = bySecond[second] = new Histo();
                    }
                }
            }
            h.record(latencyMicros);
        }

        /** Sockets that have the marker, or were closed before it. */
        int finished() {
            int n = done.get();
            for (Sock s : socks) {
                if (s != null && s.closed && !s.done) {
                    n++;
                }
            }
            return n;
        }

        long expected() {
            long marker = markerSeq;
            return marker == Long.MAX_VALUE ? 0 : sum(s -> s.startSeq >= 0 ? marker - s.startSeq : 0);
        }

        long sum(java.util.function.ToLongFunction<Sock> f) {
            long total = 0;
            for (Sock s : socks) {
                if (s != null && !s.failed) {
                    total += f.applyAsLong(s);
                }
            }
            return total;
        }

        long count(java.util.function.Predicate<Sock> f) {
            return sum(s -> f.test(s) ? 1 : 0);
        }

        String closeCodes() {
            return closeCodes.isEmpty() ? "none" : new TreeMap<>(closeCodes).toString().replace(' ', '_');
        }

        String firstGap() {
            for (Sock s : socks) {
                if (s != null && s.firstGap != null) {
                    return s.firstGap.replace(' ', '_');
                }
            }
            return null;
        }

        void closeAll() throws InterruptedException {
            for (Sock s : socks) {
                if (s != null && s.ws != null && !s.failed && !s.closed) {
                    s.ws.close((short) 1000, "benchmark over");
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (count(s -> !s.closed && s.startSeq >= 0) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }

        void perSocket(Path file) throws IOException {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
                w.println("socket,start_seq,last_seq,delivered,lost,gaps,resyncs,resynced,duplicates,via_log,close_code,close_reason");
                for (Sock s : socks) {
                    if (s == null) {
                        continue;
                    }
                    w.printf("%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%s,%s%n", s.index, s.startSeq, s.lastSeq, s.delivered, s.lost, s.gaps,
                            s.resyncs, s.resynced, s.duplicates, s.viaLog, s.failed ? "failed" : s.closed ? s.closeCode : "open",
                            s.closeReason == null ? "" : '"' + s.closeReason.replace("\"", "'") + '"');
                }
            }
        }

        void latencyBySecond(Path file) throws IOException {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
                w.println("# second of publication, events received, p50 ms, p99 ms, max ms (Redis path only)");
                for (int i = 0; i < bySecond.length; i++) {
                    Histo h = bySecond[i];
                    if (h != null) {
                        w.printf("%3d %9d %9.2f %9.2f %9.2f%n", i, h.count(), h.percentile(50) / 1000.0, h.percentile(99) / 1000.0,
                                h.max() / 1000.0);
                    }
                }
            }
        }
    }

    // ---- The writer: another replica ------------------------------------------------------------------------------

    /**
     * Writes events the way a replica's orchestrator does: the run row is the lock that numbers them (so seq increases
     * by exactly one), the event row goes in the same transaction, and the Redis message is published only after the
     * commit, so a watcher that sees a seq can always find it in the log.
     */
    static final class Writer implements AutoCloseable {
        private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);
        final Connection db;
        final String redisHost;
        final int redisPort;
        Redis redis;
        final UUID runId;
        final String channel;
        final long serverPid;
        PreparedStatement bump;
        PreparedStatement insert;
        String status;
        String projectId;
        String tenantId;
        long minSubscribers = Long.MAX_VALUE;

        Writer(Opts o) throws Exception {
            db = DriverManager.getConnection(o.str("jdbc"));
            db.setAutoCommit(false);
            String[] redisAt = o.str("redis").split(":");
            redisHost = redisAt[0];
            redisPort = Integer.parseInt(redisAt[1]);
            redis = new Redis(redisHost, redisPort);
            runId = UUID.fromString(o.str("run"));
            channel = o.str("channel", "rime:run-events");
            serverPid = Long.parseLong(o.str("server-pid", "0"));
            // version and updated_at move as they would for an entity update, so the server's optimistic checks see it
            bump = db.prepareStatement("update pipeline_runs set last_seq = last_seq + ?, version = version + 1, updated_at = now()"
                    + " where id = ? returning last_seq, tenant_id, project_id");
            insert = db.prepareStatement("insert into run_events (id, run_id, seq, tenant_id, type, payload, created_at, updated_at,"
                    + " version) values (gen_random_uuid(), ?, ?, ?, 'step.log', ?, ?, ?, 0)");
        }

        long check() throws Exception {
            try (PreparedStatement s = db.prepareStatement("select status, last_seq, tenant_id, project_id from pipeline_runs where id = ?")) {
                s.setObject(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no pipeline run " + runId);
                    }
                    status = rs.getString(1);
                    tenantId = rs.getString(3);
                    projectId = rs.getString(4);
                    long seq = rs.getLong(2);
                    db.commit();
                    return seq;
                }
            }
        }

        record Stats(long minSubscribers, long reconnects, long unpublished) {
        }

        private long reconnects;
        private long unpublished;

        /** What the writer saw of Redis so far; read between phases, so the phases' figures are differences. */
        Stats stats() {
            Stats now = new Stats(minSubscribers, reconnects, unpublished);
            minSubscribers = Long.MAX_VALUE;
            reconnects = 0;
            unpublished = 0;
            return now;
        }

        /** Commits k step.log events in one transaction, then publishes them in one message; answers the last seq. */
        long write(int k, boolean marker, Group g) throws Exception {
            Instant occurred = Instant.now();
            long last;
            Object tenant;
            bump.setInt(1, k);
            bump.setObject(2, runId);
            try (ResultSet rs = bump.executeQuery()) {
                rs.next();
                last = rs.getLong(1);
                tenant = rs.getObject(2);
            }
            String[] fields = new String[k];
            for (int i = 0; i < k; i++) {
                long seq = last - k + 1 + i;
                fields[i] = "\"step_key\":\"model\",\"line\":" + seq + ",\"message\":\"" + LINE + "\""
                        + (marker && i == k - 1 ? ",\"marker\":true" : "");
                insert.setObject(1, runId);
                insert.setLong(2, seq);
                insert.setObject(3, tenant);
                insert.setString(4, "{" + fields[i] + ",\"written_at\":" + micros(occurred) + "}");
                insert.setObject(5, occurred.atOffset(ZoneOffset.UTC));
                insert.setObject(6, occurred.atOffset(ZoneOffset.UTC));
                insert.addBatch();
            }
            insert.executeBatch();
            db.commit();
            if (marker) {
                g.markerSeq = last;
            }
            StringBuilder message = new StringBuilder(256 * k).append("{\"origin\":\"bench-writer\",\"tenant_id\":\"").append(tenant)
                    .append("\",\"project_id\":\"").append(projectId).append("\",\"run_id\":\"").append(runId)
                    .append("\",\"run_kind\":\"pipeline_run\",\"events\":[");
            long sent = nowMicros();
            String occurredAt = RFC3339.format(occurred);
            for (int i = 0; i < k; i++) {
                message.append(i == 0 ? "" : ",").append("{\"seq\":").append(last - k + 1 + i)
                        .append(",\"type\":\"step.log\",\"occurred_at\":\"").append(occurredAt).append("\",").append(fields[i])
                        .append(",\"sent_at\":").append(sent).append('}');
            }
            publish(message.append("]}").toString());
            return last;
        }

        /**
         * A Redis restart (the test suite restarts the shared one) closes the connection: the writer reconnects and
         * tries again for up to 5 s, then leaves the message unpublished. The events are committed either way, and
         * the server finds them in the log, as it would for a replica whose PUBLISH failed.
         */
        private void publish(String message) throws InterruptedException {
            for (int attempt = 0; attempt < 50; attempt++) {
                try {
                    if (redis == null) {
                        redis = new Redis(redisHost, redisPort);
                        reconnects++;
                    }
                    minSubscribers = Math.min(minSubscribers, redis.publish(channel, message));
                    return;
                } catch (IOException e) {
                    if (redis != null) {
                        try {
                            redis.close();
                        } catch (IOException ignored) {
                            // already broken
                        }
                    }
                    redis = null;
                    Thread.sleep(100);
                }
            }
            unpublished++;
        }

        @Override
        public void close() throws IOException, java.sql.SQLException {
            if (redis != null) {
                redis.close();
            }
            db.close();
        }
    }

    /** PUBLISH over RESP on a plain socket: one command at a time, the reply is the number of subscribers. */
    static final class Redis implements AutoCloseable {
        final Socket socket;
        final OutputStream out;
        final InputStream in;

        Redis(String host, int port) throws IOException {
            socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            out = new BufferedOutputStream(socket.getOutputStream());
            in = new BufferedInputStream(socket.getInputStream());
        }

        /** A command whose reply is a bulk string (CLIENT LIST), answered as text. */
        String bulk(String... args) throws IOException {
            StringBuilder command = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                command.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
            }
            out.write(bytes(command.toString()));
            out.flush();
            String header = line();
            if (!header.startsWith("$")) {
                throw new IOException("Redis answered " + String.join(" ", args) + " with " + header);
            }
            byte[] body = in.readNBytes(Integer.parseInt(header.substring(1)) + 2);
            return new String(body, 0, body.length - 2, StandardCharsets.UTF_8);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("Redis closed the connection");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        long publish(String channel, String message) throws IOException {
            byte[] c = bytes(channel);
            byte[] m = message.getBytes(StandardCharsets.UTF_8);
            out.write(bytes("*3\r\n$7\r\nPUBLISH\r\n$" + c.length + "\r\n"));
            out.write(c);
            out.write(bytes("\r\n$" + m.length + "\r\n"));
            out.write(m);
            out.write(bytes("\r\n"));
            out.flush();
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("Redis closed the connection");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            if (line.isEmpty() || line.charAt(0) != ':') {
                throw new IOException("Redis answered PUBLISH with " + line);
            }
            return Long.parseLong(line.substring(1));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * Samples, twice a second, where undelivered bytes wait outside the two processes' heaps: in Redis's output buffers
     * for pub/sub subscribers (a server reading its subscription too slowly leaves messages there; Redis drops a
     * subscriber above 8 MB for 60 s or 32 MB), and in the kernel's socket queues of the WebSocket connections (the
     * server's send queues fill when the client reads too slowly, the client's receive queues when it has not read
     * yet). A server's write completes once the kernel has the bytes, so a backlog there is invisible to its
     * per-socket queue limit.
     */
    static final class OutputBuffers extends Thread {
        private final String host;
        private final int port;
        private final int serverPort;
        volatile long peak = -1;
        volatile long peakServerSendQueues;
        volatile long peakClientReceiveQueues;

        OutputBuffers(Opts o) {
            String[] at = o.str("redis").split(":");
            host = at[0];
            port = Integer.parseInt(at[1]);
            serverPort = o.integer("port", 18443);
            setDaemon(true);
            setName("backlog-sampler");
        }

        /** Sums tx_queue of the server's sockets and rx_queue of the client's, from /proc/net/tcp and tcp6. */
        private void socketQueues() {
            long send = 0;
            long receive = 0;
            for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(Path.of(file));
                } catch (IOException e) {
                    continue;
                }
                for (int i = 1; i < lines.size(); i++) {
                    String[] f = lines.get(i).trim().split("\\s+");
                    if (f.length < 5) {
                        continue;
                    }
                    int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                    int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                    String[] q = f[4].split(":");
                    if (local == serverPort) {
                        send += Long.parseLong(q[0], 16);
                    } else if (remote == serverPort) {
                        receive += Long.parseLong(q[1], 16);
                    }
                }
            }
            peakServerSendQueues = Math.max(peakServerSendQueues, send);
            peakClientReceiveQueues = Math.max(peakClientReceiveQueues, receive);
        }

        @Override
        public void run() {
            Redis redis = null;
            while (!isInterrupted()) {
                socketQueues();
                try {
                    if (redis == null) {
                        redis = new Redis(host, port);
                    }
                    for (String client : redis.bulk("CLIENT", "LIST", "TYPE", "pubsub").split("\n")) {
                        Matcher m = OMEM.matcher(client);
                        if (m.find()) {
                            peak = Math.max(peak, Long.parseLong(m.group(1)));
                        }
                    }
                } catch (IOException e) {
                    redis = null; // Redis restarted: sample again on the next tick
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    break;
                }
            }
            if (redis != null) {
                try {
                    redis.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }

        private static final Pattern OMEM = Pattern.compile("\\bomem=(\\d+)");
    }

    // ---- The server process: memory and CPU ---------------------------------------------------------------------

    record Memory(String label, long rssKb, long liveHeap, long heapUsed, Map<String, long[]> classes) {

        static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(.+?)\\s*$");

        /** The classes whose live bytes grew most between two histograms, as "class:+bytes/conn" items. */
        static String topDelta(Memory a, Memory b, int n, int open) {
            List<Map.Entry<String, Long>> grown = delta(a, b);
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < Math.min(n, grown.size()); i++) {
                String name = grown.get(i).getKey().replaceAll(" \\(.*\\)$", "");
                s.append(i == 0 ? "" : ",").append(name).append(':').append(Math.round(grown.get(i).getValue() / (double) open)).append("B");
            }
            return s.isEmpty() ? "n/a" : s.toString().replace(' ', '_');
        }

        static List<Map.Entry<String, Long>> delta(Memory a, Memory b) {
            Map<String, Long> d = new HashMap<>();
            if (a == null || b == null) {
                return List.of();
            }
            b.classes.forEach((k, v) -> d.put(k, v[1] - a.classes.getOrDefault(k, new long[2])[1]));
            a.classes.forEach((k, v) -> d.putIfAbsent(k, -v[1]));
            List<Map.Entry<String, Long>> list = new ArrayList<>(d.entrySet());
            list.sort((x, y) -> Long.compare(y.getValue(), x.getValue()));
            return list;
        }

        static void histogramDelta(Memory a, Memory b, Path file) throws IOException {
            if (a == null || b == null) {
                return;
            }
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
                w.printf("# live heap %d -> %d bytes (class histogram, G1 fillers left out); classes by growth%n", a.liveHeap, b.liveHeap);
                for (Map.Entry<String, Long> e : delta(a, b)) {
                    long[] before = a.classes.getOrDefault(e.getKey(), new long[2]);
                    long[] after = b.classes.getOrDefault(e.getKey(), new long[2]);
                    if (e.getValue() != 0) {
                        w.printf("%12d bytes %9d instances  %s%n", e.getValue(), after[0] - before[0], e.getKey());
                    }
                }
            }
        }
    }

    static final class Server {
        final long pid;
        final String jcmd;
        final String metricsUrl;
        final Path out;
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        Server(Opts o, Path out) {
            this.pid = Long.parseLong(o.str("server-pid", "0"));
            this.jcmd = o.str("jcmd", "");
            this.metricsUrl = o.str("metrics-url", "");
            this.out = out;
        }

        /**
         * RSS and live heap after full collections. The class histogram forces one and counts live objects only, so its
         * total is the heap the open sockets actually hold, not garbage G1 has not collected yet.
         */
        Memory memory(String label) throws Exception {
            if (pid == 0 || jcmd.isEmpty()) {
                return null;
            }
            jcmd("GC.run");
            Thread.sleep(1000);
            String histogram = jcmd("GC.class_histogram");
            Files.writeString(out.resolve("histogram-" + label + "-" + System.currentTimeMillis() + ".txt"), histogram);
            Map<String, long[]> classes = new HashMap<>();
            long total = 0;
            for (String line : histogram.split("\n")) {
                Matcher m = Memory.ROW.matcher(line);
                // G1 plugs unusable ends of regions with filler arrays; the histogram lists them, but they hold nothing
                if (m.matches() && !m.group(3).contains("jdk.internal.vm.Filler")) {
                    long bytes = Long.parseLong(m.group(2));
                    total += bytes;
                    classes.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), bytes},
                            (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]});
                }
            }
            Thread.sleep(1000);
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            long heap = heapUsed();
            log("server memory %s: RSS %d kB, live heap %d bytes, heap used %d bytes", label, rss, total, heap);
            return new Memory(label, rss, total, heap, classes);
        }

        long heapUsed() {
            if (metricsUrl.isEmpty()) {
                return 0;
            }
            try {
                String page = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                double sum = 0;
                for (String line : page.split("\n")) {
                    if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
                return (long) sum;
            } catch (Exception e) {
                return 0;
            }
        }

        private Path recording;

        /** A JFR recording of the server (its default profile: method samples every 10-20 ms) over the event phase. */
        boolean startProfile() {
            if (pid == 0 || jcmd.isEmpty()) {
                return false;
            }
            try {
                recording = out.resolve("server-" + System.currentTimeMillis() + ".jfr");
                jcmd("JFR.start name=ws-fanout settings=profile filename=" + recording);
                return true;
            } catch (Exception e) {
                log("could not start a JFR recording: %s", e.getMessage());
                return false;
            }
        }

        /**
         * Stops the recording and answers where the server's sampled CPU went: the share of execution samples (threads
         * running Java code; time inside system calls is not sampled) whose stack contains each of a few methods that
         * matter for fan-out, then the top frames.
         */
        String stopProfile(String label) {
            try {
                jcmd("JFR.stop name=ws-fanout");
                Map<String, Integer> inclusive = new HashMap<>();
                Map<String, Integer> top = new HashMap<>();
                int samples = 0;
                try (var file = new jdk.jfr.consumer.RecordingFile(recording)) {
                    while (file.hasMoreEvents()) {
                        var event = file.readEvent();
                        if (!"jdk.ExecutionSample".equals(event.getEventType().getName()) || event.getStackTrace() == null) {
                            continue;
                        }
                        samples++;
                        var frames = event.getStackTrace().getFrames();
                        java.util.Set<String> seen = new java.util.HashSet<>();
                        for (int i = 0; i < frames.size(); i++) {
                            var m = frames.get(i).getMethod();
                            String name = m.getType().getName().replaceAll("^.*\\.", "") + "." + m.getName();
                            if (i == 0) {
                                top.merge(name, 1, Integer::sum);
                            }
                            for (String[] k : PROFILE_KEYS) {
                                if (m.getType().getName().equals(k[0]) && m.getName().equals(k[1]) && seen.add(k[2])) {
                                    inclusive.merge(k[2], 1, Integer::sum);
                                }
                            }
                        }
                    }
                }
                final int total = samples;
                StringBuilder s = new StringBuilder(samples + "_samples;");
                for (String[] k : PROFILE_KEYS) {
                    if (s.indexOf(";" + k[2] + ":") < 0 && inclusive.containsKey(k[2])) {
                        s.append(k[2]).append(':').append(Math.round(100.0 * inclusive.get(k[2]) / total)).append("%;");
                    }
                }
                List<Map.Entry<String, Integer>> hot = new ArrayList<>(top.entrySet());
                hot.sort((x, y) -> y.getValue() - x.getValue());
                s.append("top_frames:");
                for (int i = 0; i < Math.min(5, hot.size()); i++) {
                    s.append(i == 0 ? "" : ",").append(hot.get(i).getKey()).append('=')
                            .append(Math.round(100.0 * hot.get(i).getValue() / total)).append('%');
                }
                Files.writeString(out.resolve("profile-" + label + ".txt"), s.toString().replace(';', '\n') + "\n");
                return s.toString();
            } catch (Exception e) {
                return "failed:" + e.getMessage().replace(' ', '_');
            }
        }

        /** Class, method, label: the places a sample is attributed to (a sample counts once per label). */
        static final String[][] PROFILE_KEYS = {
            {"io.rimedata.progress.service.RunEventBus", "received", "RunEventBus.received"},
            {"io.rimedata.progress.service.RunFeed", "deliver", "RunFeed.deliver"},
            {"io.rimedata.progress.ws.Watcher", "pump", "Watcher.pump"},
            {"com.fasterxml.jackson.databind.node.BaseJsonNode", "toString", "event_to_JSON_text"},
            {"io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder", "encode", "frame_encode"},
            {"io.netty.handler.ssl.SslHandler", "wrap", "TLS_encrypt"},
            {"io.netty.handler.ssl.SslHandler", "unwrap", "TLS_decrypt"},
            {"io.netty.channel.nio.AbstractNioByteChannel", "doWrite", "socket_write"},
        };

        /** The server threads that used the most CPU between two samples, named through a thread dump. */
        String hotThreads(Map<Long, Long> before, Map<Long, Long> after, int n) {
            if (pid == 0 || after.isEmpty()) {
                return "n/a";
            }
            Map<Long, String> names = new HashMap<>();
            try {
                Matcher m = Pattern.compile("^\"([^\"]+)\".*\\bnid=(0x[0-9a-f]+|\\d+)", Pattern.MULTILINE).matcher(jcmd("Thread.print"));
                while (m.find()) {
                    String nid = m.group(2);
                    names.put(nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid), m.group(1));
                }
            } catch (Exception e) {
                // unnamed threads are shown by id
            }
            List<Map.Entry<Long, Long>> used = new ArrayList<>();
            after.forEach((tid, ticks) -> used.add(Map.entry(tid, ticks - before.getOrDefault(tid, 0L))));
            used.sort((x, y) -> Long.compare(y.getValue(), x.getValue()));
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < Math.min(n, used.size()); i++) {
                s.append(i == 0 ? "" : ",").append(names.getOrDefault(used.get(i).getKey(), "tid " + used.get(i).getKey()))
                        .append(':').append(fmt(used.get(i).getValue() / 100.0, 1)).append('s');
            }
            return s.toString().replace(' ', '_');
        }

        String jcmd(String command) throws Exception {
            Process p = new ProcessBuilder(jcmd, String.valueOf(pid), command).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + command + " failed: " + text);
            }
            return text;
        }
    }

    /** CPU seconds so far: the server process, this process, and the whole machine (all CPUs, busy time). */
    record Cpu(long wallNanos, double server, double client, double machineBusy) {

        static Cpu sample(long serverPid) {
            double server = -1;
            try {
                if (serverPid > 0) {
                    String stat = Files.readString(Path.of("/proc/" + serverPid + "/stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    server = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
                }
            } catch (IOException e) {
                server = -1;
            }
            double client = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
            double busy = 0;
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait
                for (int i = 1; i <= 8 && i < f.length; i++) {
                    if (i != 4 && i != 5) {
                        busy += Long.parseLong(f[i]);
                    }
                }
                busy /= 100.0;
            } catch (IOException e) {
                busy = 0;
            }
            return new Cpu(System.nanoTime(), server, client, busy);
        }

        /** CPU ticks of each of the server's threads so far, by thread id. */
        static Map<Long, Long> threads(long serverPid) {
            Map<Long, Long> ticks = new HashMap<>();
            if (serverPid <= 0) {
                return ticks;
            }
            try (var tasks = Files.list(Path.of("/proc/" + serverPid + "/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks.put(Long.parseLong(task.getFileName().toString()), Long.parseLong(f[11]) + Long.parseLong(f[12]));
                    } catch (IOException | RuntimeException e) {
                        // the thread ended meanwhile
                    }
                }
            } catch (IOException e) {
                return ticks;
            }
            return ticks;
        }
    }

    // ---- Latency histogram ----------------------------------------------------------------------------------------

    /**
     * Counts of microsecond values in log-linear buckets: exact below 512 µs, then 256 buckets per power of two, so a
     * percentile is off by at most 0.4 %. Lock-free, shared by the event loops.
     */
    static final class Histo {
        final AtomicLongArray counts = new AtomicLongArray(512 + 48 * 256);
        final AtomicLong max = new AtomicLong();
        final LongAdder total = new LongAdder();

        void record(long micros) {
            counts.incrementAndGet(index(Math.max(0, micros)));
            total.increment();
            max.accumulateAndGet(micros, Math::max);
        }

        static int index(long v) {
            if (v < 512) {
                return (int) v;
            }
            int shift = 63 - Long.numberOfLeadingZeros(v) - 8;
            return (int) Math.min(512 + (shift - 1) * 256L + ((v >> shift) - 256), 512 + 48 * 256 - 1);
        }

        static long upper(int index) {
            if (index < 512) {
                return index;
            }
            int shift = (index - 512) / 256 + 1;
            long m = (index - 512) % 256 + 256;
            return ((m + 1) << shift) - 1;
        }

        long count() {
            return total.sum();
        }

        long max() {
            return max.get();
        }

        /** The smallest bucket bound below which at least p % of the values lie. */
        long percentile(double p) {
            long n = count();
            if (n == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(p / 100.0 * n);
            long seen = 0;
            for (int i = 0; i < counts.length(); i++) {
                seen += counts.get(i);
                if (seen >= rank) {
                    return Math.min(upper(i), max());
                }
            }
            return max();
        }
    }

    // ---- Small things ---------------------------------------------------------------------------------------------

    static final class Opts {
        final Map<String, String> values = new HashMap<>();

        static Opts parse(String[] args) {
            Opts o = new Opts();
            for (int i = 0; i + 1 < args.length; i += 2) {
                if (!args[i].startsWith("--")) {
                    throw new IllegalArgumentException("expected --name value, got " + args[i]);
                }
                o.values.put(args[i].substring(2), args[i + 1]);
            }
            return o;
        }

        String str(String key) {
            String v = values.get(key);
            if (v == null) {
                throw new IllegalArgumentException("--" + key + " is required");
            }
            return v;
        }

        String str(String key, String fallback) {
            return values.getOrDefault(key, fallback);
        }

        int integer(String key, int fallback) {
            return values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback;
        }

        /** The bearer token comes from the environment, so it never shows in a process list. */
        String token() {
            String t = System.getenv("BENCH_TOKEN");
            if (t == null || t.isEmpty()) {
                throw new IllegalStateException("BENCH_TOKEN must be set");
            }
            return t;
        }
    }

    static long nowMicros() {
        return micros(Instant.now());
    }

    static long micros(Instant i) {
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Position of {@code key} in the first {@code within} bytes of {@code m}, or -1. */
    static int indexOf(byte[] m, byte[] key, int within) {
        int end = Math.min(m.length, within) - key.length;
        outer:
        for (int i = 0; i <= end; i++) {
            for (int j = 0; j < key.length; j++) {
                if (m[i + j] != key[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The integer after the first {@code "key":} in a JSON text; Long.MIN_VALUE when absent. */
    static long number(byte[] m, byte[] key) {
        int at = indexOf(m, key, m.length);
        if (at < 0) {
            return Long.MIN_VALUE;
        }
        int i = at + key.length;
        while (i < m.length && m[i] == ' ') {
            i++;
        }
        boolean negative = i < m.length && m[i] == '-';
        if (negative) {
            i++;
        }
        long v = 0;
        int digits = 0;
        while (i < m.length && m[i] >= '0' && m[i] <= '9') {
            v = v * 10 + (m[i++] - '0');
            digits++;
        }
        return digits == 0 ? Long.MIN_VALUE : negative ? -v : v;
    }

    static String fmt(double v, int decimals) {
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
    }

    static void log(String format, Object... args) {
        System.err.println("ws-fanout: " + String.format(java.util.Locale.ROOT, format, args));
    }
}
