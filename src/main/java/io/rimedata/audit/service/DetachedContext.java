package io.rimedata.audit.service;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs reactive work on a fresh duplicated Vert.x context, so it opens its own Hibernate Reactive session whatever
 * the caller holds (a request's transaction, or nothing at all on a timer or a test thread), and resumes the caller
 * on its own context afterwards.
 */
final class DetachedContext {

    private DetachedContext() {
    }

    static <T> Uni<T> run(Vertx vertx, Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context caller = Vertx.currentContext();
            Context own = VertxContext.createNewDuplicatedContext(caller != null ? caller : vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(own, true);
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

    private static void resume(Context caller, Runnable action) {
        if (caller == null) {
            action.run();
        } else {
            caller.runOnContext(ignored -> action.run());
        }
    }
}
