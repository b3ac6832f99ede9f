package io.rimedata.platform.background;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Work outside requests (timers, follow-ups after a commit, callbacks from Redis) on a fresh duplicated Vert.x
 * context marked safe, so it opens its own Hibernate Reactive session whatever the caller holds: a request's
 * transaction, or nothing at all on a timer or a test thread. Work started from a context scoped to a tenant keeps
 * that tenant's {@link DatabaseScope}; work on a timer starts with none and declares its own.
 */
@ApplicationScoped
public class Background {

    private static final Logger LOG = Logger.getLogger(Background.class);

    private final Vertx vertx;

    Background(io.vertx.mutiny.core.Vertx vertx) {
        this.vertx = vertx.getDelegate();
    }

    /** Runs {@code work} on its own context and resumes the caller on the caller's context afterwards. */
    public <T> Uni<T> detached(Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context caller = Vertx.currentContext();
            Context own = fresh(caller);
            own.runOnContext(ignored -> {
                Uni<T> uni;
                try {
                    uni = work.get();
                } catch (RuntimeException e) {
                    resume(caller, () -> emitter.fail(e));
                    return;
                }
                uni.subscribe().with(item -> resume(caller, () -> emitter.complete(item)),
                        failure -> resume(caller, () -> emitter.fail(failure)));
            });
        });
    }

    /** Starts {@code work} on its own context and returns at once; a failure is logged with {@code what}. */
    public void launch(String what, Supplier<Uni<?>> work) {
        launchOn(fresh(Vertx.currentContext()), what, work);
    }

    /** Starts one tenant's {@code work} on its own context, scoped to that tenant's rows whoever launches it. */
    public void launch(TenantRef tenant, String what, Supplier<Uni<?>> work) {
        Context own = fresh(Vertx.currentContext());
        DatabaseScope.dedicate(own, tenant);
        launchOn(own, what, work);
    }

    private void launchOn(Context own, String what, Supplier<Uni<?>> work) {
        own.runOnContext(ignored -> {
            Uni<?> uni;
            try {
                uni = work.get();
            } catch (RuntimeException e) {
                LOG.warnf("%s failed: %s", what, e.toString());
                return;
            }
            uni.subscribe().with(item -> { }, failure -> LOG.warnf("%s failed: %s", what, failure.toString()));
        });
    }

    /** Runs {@code work} every {@code interval}, skipping a tick while the previous one is still running. */
    public long every(Duration interval, String what, Supplier<Uni<?>> work) {
        AtomicBoolean busy = new AtomicBoolean();
        return vertx.setPeriodic(interval.toMillis(), id -> {
            if (busy.compareAndSet(false, true)) {
                launch(what, () -> work.get().onTermination().invoke(() -> busy.set(false)));
            }
        });
    }

    private Context fresh(Context caller) {
        Context own = VertxContext.createNewDuplicatedContext(caller != null ? caller : vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(own, true);
        DatabaseScope.inherit(caller, own);
        return own;
    }

    private static void resume(Context caller, Runnable action) {
        if (caller == null) {
            action.run();
        } else {
            caller.runOnContext(ignored -> action.run());
        }
    }
}
