package io.rimedata.platform.persistence;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.rimedata.platform.config.PlatformConfig;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/**
 * The reactive PostgreSQL pool with bounded waiting: a request that cannot get a connection within the acquire
 * timeout, or finds the wait queue full, fails at once and is answered 503, instead of queueing for half a minute
 * while PostgreSQL is down or saturated. Each borrowed connection is set to the borrower's {@link DatabaseScope}.
 */
@Singleton
public class BoundedPgPool implements PgPoolCreator {

    private final PlatformConfig.Database config;

    BoundedPgPool(PlatformConfig config) {
        this.config = config.database();
    }

    @Override
    public Pool create(Input input) {
        PoolOptions pool = input.poolOptions()
                .setMaxWaitQueueSize(config.maxWaitQueue())
                .setConnectionTimeout((int) config.acquireTimeout().toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            options.setConnectTimeout((int) config.connectTimeout().toMillis());
        }
        return new ScopedPool(PgBuilder.pool().with(pool).connectingTo(java.util.List.copyOf(input.pgConnectOptionsList()))
                .using(input.vertx()).build());
    }
}
