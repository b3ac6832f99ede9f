package io.rimedata.identity.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.rimedata.identity.IdentityConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Callable;

/** bcrypt hashing and checking, always on a worker thread: a cost-12 hash takes a quarter of a second of CPU. */
@ApplicationScoped
public class PasswordHasher {

    private final int cost;
    private final String dummyHash;
    private final Counter work;

    PasswordHasher(IdentityConfig config, MeterRegistry registry) {
        this.cost = config.bcryptCost();
        // a surge means someone is making the server hash on their behalf (guessing, or flooding sign-up routes)
        this.work = Counter.builder("rime.password.hashing")
                .description("bcrypt computations: passwords hashed or checked")
                .register(registry);
        // checked against when the account does not exist, so both paths cost the same (no user enumeration)
        this.dummyHash = BcryptUtil.bcryptHash("rime-timing-equaliser", cost);
    }

    public Uni<String> hash(String password) {
        work.increment();
        return offload(() -> BcryptUtil.bcryptHash(password, cost));
    }

    /** True when {@code password} matches {@code hash}; a null hash is checked against a dummy and fails. */
    public Uni<Boolean> matches(String password, String hash) {
        work.increment();
        return offload(() -> {
            boolean ok = BcryptUtil.matches(password, hash == null ? dummyHash : hash);
            return ok && hash != null;
        });
    }

    /** Runs on the Vert.x worker pool and resumes on the caller's context, where the reactive session lives. */
    private static <T> Uni<T> offload(Callable<T> work) {
        Context context = Vertx.currentContext();
        if (context == null) {
            return Uni.createFrom().item(() -> {
                try {
                    return work.call();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        return Uni.createFrom().completionStage(() -> context.executeBlocking(work, false).toCompletionStage());
    }
}
