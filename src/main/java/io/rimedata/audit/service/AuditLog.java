package io.rimedata.audit.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.Arc;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.rimedata.audit.AuditOutboxEntry;
import io.rimedata.audit.repository.AuditOutboxRepository;
import io.rimedata.audit.service.AuditEntry.Actor;
import io.rimedata.identity.Caller;
import io.rimedata.identity.service.CurrentCaller;
import io.rimedata.identity.service.UserDirectory;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.platform.persistence.UuidV7;
import io.rimedata.platform.request.CallContext;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import io.rimedata.platform.background.Background;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/**
 * Records audit entries (§10) through the outbox: an entry is written in the transaction of the change it records,
 * so it exists exactly when the change committed, and {@link AuditRelay} moves it into the audit log afterwards.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    private static final String PENDING = "rime.audit.pending";

    private final AuditOutboxRepository outbox;
    private final UserDirectory users;
    private final ObjectMapper json;
    private final CallContext call;
    private final CurrentCaller caller;
    private final CurrentVertxRequest request;
    private final AuditRelay relay;
    private final Background background;

    AuditLog(AuditOutboxRepository outbox, UserDirectory users, ObjectMapper json, CallContext call,
            CurrentCaller caller, CurrentVertxRequest request, AuditRelay relay, Background background) {
        this.outbox = outbox;
        this.users = users;
        this.json = json;
        this.call = call;
        this.caller = caller;
        this.request = request;
        this.relay = relay;
        this.background = background;
    }

    /**
     * Appends the entry to the outbox in the caller's current transaction: call it inside the
     * {@code @WithTransaction} chain of the change it records. Without a transaction it fails rather than commit the
     * entry apart from its change.
     */
    public Uni<Void> record(TenantRef tenant, AuditEntry entry) {
        return withRequestDefaults(entry).chain(resolved -> Panache.currentTransaction().chain(transaction -> {
            if (transaction == null) {
                return Uni.createFrom().failure(new IllegalStateException("Audit entries belong in a transaction"));
            }
            markPending();
            return append(tenant, resolved);
        }));
    }

    /**
     * For events that have no business transaction (a login attempt): writes the entry in a short transaction of its
     * own and never fails the caller; a failure is logged and swallowed.
     */
    public Uni<Void> recordAlone(TenantRef tenant, AuditEntry entry) {
        return Uni.createFrom().deferred(() -> withRequestDefaults(entry))
                .chain(resolved -> background.detached(
                        () -> DatabaseScope.transaction(tenant, () -> append(tenant, resolved))))
                .invoke(relay::nudge)
                .onFailure().recoverWithItem(failure -> {
                    LOG.errorf("Audit entry %s of tenant %s not recorded: %s", entry.action(), tenant.id(),
                            failure.toString());
                    return null;
                });
    }

    /** Whether this request wrote an outbox entry: the relay is nudged once its response is ready (and committed). */
    public static boolean pendingOn(RoutingContext rc) {
        return rc.get(PENDING) != null;
    }

    private Uni<Void> append(TenantRef tenant, AuditEntry entry) {
        return withActorEmail(tenant, entry).chain(complete -> {
            AuditOutboxEntry row = new AuditOutboxEntry();
            row.id = UuidV7.next();
            row.payload = write(complete);
            return outbox.persist(tenant, row).replaceWithVoid();
        });
    }

    /** Users are named by email as well as id, as they were when they acted. */
    private Uni<AuditEntry> withActorEmail(TenantRef tenant, AuditEntry entry) {
        Actor actor = entry.actor();
        if (actor.type() != AuditEntry.ActorType.USER || actor.id() == null || actor.email() != null) {
            return Uni.createFrom().item(entry);
        }
        return users.emailOf(tenant, actor.id()).map(email -> entry.withActor(Actor.user(actor.id(), email)));
    }

    /** Time, actor, client address and request id from the current request; outside one the actor is the system. */
    private Uni<AuditEntry> withRequestDefaults(AuditEntry entry) {
        AuditEntry timed = entry.occurredAt() != null ? entry : entry.at(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        if (!inRequest()) {
            return Uni.createFrom().item(timed.actor() != null ? timed : timed.withActor(Actor.system()));
        }
        AuditEntry e = timed.withSource(timed.sourceIp() != null ? timed.sourceIp() : call.sourceIp(),
                timed.requestId() != null ? timed.requestId() : call.requestId());
        if (e.actor() != null) {
            return Uni.createFrom().item(e);
        }
        if (call.operator()) {
            return Uni.createFrom().item(e.withActor(Actor.operator()));
        }
        return caller.find().map(found -> e.withActor(found.map(AuditLog::actorOf).orElseGet(Actor::system)));
    }

    private static Actor actorOf(Caller caller) {
        return caller.isApiKey() ? Actor.apiKey(caller.apiKeyId()) : Actor.user(caller.userId(), null);
    }

    private void markPending() {
        if (inRequest()) {
            request.getCurrent().put(PENDING, Boolean.TRUE);
        }
    }

    private boolean inRequest() {
        return Arc.container().requestContext().isActive() && request.getCurrent() != null;
    }

    private String write(AuditEntry entry) {
        try {
            return json.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise an audit entry", e);
        }
    }
}
