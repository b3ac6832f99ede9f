package io.rimedata.audit.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rimedata.audit.AuditConfig;
import io.rimedata.audit.AuditEvent;
import io.rimedata.audit.AuditOutboxEntry;
import io.rimedata.audit.repository.AuditEventRepository;
import io.rimedata.audit.repository.AuditOutboxRepository;
import io.rimedata.platform.error.DatabaseFailures;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.platform.tenancy.Tenants;
import io.smallrye.mutiny.Uni;
import io.rimedata.platform.background.Background;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Moves committed entries from the outbox into the audit log. It runs on a timer and right after each request that
 * wrote an entry; every replica may run it, since each batch claims its rows with {@code FOR UPDATE SKIP LOCKED}.
 * An entry is inserted as an event and deleted from the outbox in one transaction, keeping its id (taken when it was
 * written), so the log's order is the order in which entries were written whichever replica moves them. An entry
 * that fails is retried up to the configured number of attempts, then left in the outbox with its last error.
 */
@ApplicationScoped
public class AuditRelay {

    private static final Logger LOG = Logger.getLogger(AuditRelay.class);
    private static final long LOG_INTERVAL_NANOS = 30_000_000_000L;
    private static final int MAX_ERROR_LENGTH = 2000;

    private record Batch(int moved, boolean more) {
    }

    /** The row being moved when a batch failed: the one to blame. */
    private record Claimed(TenantRef tenant, UUID id) {
    }

    private final AuditOutboxRepository outbox;
    private final AuditEventRepository events;
    private final Tenants tenants;
    private final ObjectReader entries;
    private final AuditConfig.Relay config;
    private final Vertx vertx;
    private final Background background;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
    private volatile long timer = -1;
    private volatile boolean stopped;

    AuditRelay(AuditOutboxRepository outbox, AuditEventRepository events, Tenants tenants, ObjectMapper json,
            AuditConfig config, Vertx vertx, Background background) {
        this.background = background;
        this.outbox = outbox;
        this.events = events;
        this.tenants = tenants;
        // entries written by a newer replica may carry fields this one does not know yet
        this.entries = json.readerFor(AuditEntry.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.config = config.relay();
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        if (config.enabled()) {
            timer = vertx.setPeriodic(config.interval().toMillis(), id -> nudge());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Asks for a drain soon; while one runs, another follows it. Does nothing when the relay is disabled. */
    public void nudge() {
        if (!config.enabled() || stopped) {
            return;
        }
        pending.set(true);
        if (running.compareAndSet(false, true)) {
            run();
        }
    }

    private void run() {
        pending.set(false);
        drain().subscribe().with(moved -> finished(), failure -> {
            logFailure(failure);
            finished();
        });
    }

    private void finished() {
        running.set(false);
        if (pending.get() && !stopped && running.compareAndSet(false, true)) {
            run();
        }
    }

    /**
     * Moves every entry pending now, batch after batch, on a Vert.x context of its own, and returns how many moved.
     * Works even while the relay is disabled (an operator's or a test's manual run).
     */
    public Uni<Integer> drain() {
        return background.detached(() -> drainFrom(0));
    }

    private Uni<Integer> drainFrom(int movedSoFar) {
        return relayBatch().chain(batch -> batch.more() && !stopped
                ? drainFrom(movedSoFar + batch.moved())
                : Uni.createFrom().item(movedSoFar + batch.moved()));
    }

    private Uni<Batch> relayBatch() {
        AtomicReference<Claimed> current = new AtomicReference<>();
        // cross-tenant: the relay claims and moves the pending entries of every tenant in one transaction
        return DatabaseScope.forPlatform(() -> Panache.withTransaction(() -> outbox.claimOldest(config.batchSize(), config.maxAttempts())
                .chain(rows -> rows.isEmpty() ? Uni.createFrom().item(new Batch(0, false)) : move(rows, current))))
                // an outage is nobody's fault: the rows stay as they are for the next run
                .onFailure(failure -> current.get() != null && !DatabaseFailures.isUnavailable(failure))
                .recoverWithUni(failure -> recordFailure(current.get(), failure).replaceWith(new Batch(0, true)));
    }

    private Uni<Batch> move(List<AuditOutboxEntry> rows, AtomicReference<Claimed> current) {
        Set<UUID> tenantIds = rows.stream().map(row -> row.tenantId).collect(Collectors.toSet());
        return tenants.refs(tenantIds).chain(refs -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (AuditOutboxEntry row : rows) {
                chain = chain.chain(() -> moveOne(refs, row, current));
            }
            return chain.replaceWith(new Batch(rows.size(), rows.size() == config.batchSize()));
        });
    }

    private Uni<Void> moveOne(Map<UUID, TenantRef> refs, AuditOutboxEntry row, AtomicReference<Claimed> current) {
        TenantRef tenant = refs.get(row.tenantId);
        current.set(new Claimed(tenant, row.id));
        return events.persist(tenant, toEvent(row)).chain(() -> outbox.delete(tenant, row));
    }

    private AuditEvent toEvent(AuditOutboxEntry row) {
        AuditEntry entry;
        try {
            entry = entries.readValue(row.payload);
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable audit entry " + row.id, e);
        }
        AuditEvent event = new AuditEvent();
        event.id = row.id;
        event.occurredAt = entry.occurredAt() != null ? entry.occurredAt() : row.createdAt;
        event.actorType = entry.actor().type().wireName();
        event.actorId = entry.actor().id();
        event.actorEmail = entry.actor().email();
        event.category = entry.category().wireName();
        event.action = entry.action();
        if (entry.resource() != null) {
            event.resourceType = entry.resource().type();
            event.resourceId = entry.resource().id();
            event.resourceName = entry.resource().name();
        }
        event.projectId = entry.projectId();
        event.changes = entry.changes() == null ? null : entry.changes().toString();
        event.sourceIp = entry.sourceIp();
        event.requestId = entry.requestId();
        event.outcome = entry.outcome().wireName();
        return event;
    }

    /** In a transaction of its own, since the batch's rolled back: the failing row counts an attempt. */
    private Uni<Void> recordFailure(Claimed claimed, Throwable failure) {
        if (claimed.tenant() == null) {
            return Uni.createFrom().failure(failure);
        }
        return DatabaseScope.transaction(claimed.tenant(), () -> outbox.findById(claimed.tenant(), claimed.id()).chain(row -> {
            if (row == null) {
                return Uni.createFrom().voidItem();
            }
            row.attempts++;
            String error = failure.toString();
            row.lastError = error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
            if (row.attempts >= config.maxAttempts()) {
                LOG.errorf("Audit entry %s of tenant %s failed %d times and stays in audit_outbox: %s", row.id,
                        row.tenantId, row.attempts, error);
            } else {
                LOG.warnf("Audit entry %s of tenant %s failed (attempt %d), will retry: %s", row.id, row.tenantId,
                        row.attempts, error);
            }
            return outbox.flush();
        }));
    }

    private void logFailure(Throwable failure) {
        long now = System.nanoTime();
        long last = lastFailureLog.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastFailureLog.compareAndSet(last, now)) {
            LOG.warnf("The audit relay could not run; entries wait in the outbox: %s", failure.toString());
        }
    }
}
