package io.rimedata.execution.step;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** {@code wait}: waits the given seconds on a Vert.x timer (cancelled with the step), reporting each second. */
@ApplicationScoped
public class WaitExecutor implements StepExecutor {

    private final Vertx vertx;

    WaitExecutor(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public Set<String> types() {
        return Set.of("wait");
    }

    @Override
    public Uni<StepOutcome> execute(StepTask task) {
        int seconds = task.config().path("seconds").asInt();
        return second(task, 1, seconds).replaceWith(StepOutcome.success(null));
    }

    private Uni<Void> second(StepTask task, int n, int total) {
        if (n > total) {
            return Uni.createFrom().voidItem();
        }
        return delay(1000).chain(() -> task.report().progress(n, (long) total, "seconds")).chain(() -> second(task, n + 1, total));
    }

    private Uni<Void> delay(long millis) {
        return Uni.createFrom().emitter(emitter -> {
            long timer = vertx.setTimer(millis, id -> emitter.complete(null));
            emitter.onTermination(() -> vertx.cancelTimer(timer));
        });
    }
}
