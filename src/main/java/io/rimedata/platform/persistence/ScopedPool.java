package io.rimedata.platform.persistence;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.function.Function;

/**
 * The platform's pool, with every borrowed connection set to the {@link DatabaseScope} of the context that borrows
 * it (one statement, before anything else runs on it). Both settings are written on every borrow, so nothing a
 * previous borrower set survives into the next session. Statements run on the pool itself rather than on a
 * borrowed connection are not scoped: nothing in the server reads rows that way (only the readiness check's
 * {@code select 1}), and Hibernate Reactive always borrows.
 */
final class ScopedPool implements PgPool {

    /** Session-level (not transaction-local) so the scope holds for a session's autocommit reads as well. */
    static final String APPLY = "select set_config('rime.tenant', $1, false), set_config('rime.scope', $2, false)";

    private final Pool delegate;

    ScopedPool(Pool delegate) {
        this.delegate = delegate;
    }

    @Override
    public Future<SqlConnection> getConnection() {
        DatabaseScope.Scope scope = DatabaseScope.current();
        Tuple values = Tuple.of(scope.tenant() == null ? "" : scope.tenant().toString(), scope.platform() ? "platform" : "");
        return delegate.getConnection().compose(connection -> connection.preparedQuery(APPLY).execute(values)
                .map(ignored -> connection)
                .recover(failure -> connection.close().transform(closed -> Future.failedFuture(failure))));
    }

    @Override
    public void getConnection(Handler<AsyncResult<SqlConnection>> handler) {
        getConnection().onComplete(handler);
    }

    @Override
    public <T> Future<T> withConnection(Function<SqlConnection, Future<T>> function) {
        return getConnection().compose(connection -> function.apply(connection).eventually(() -> connection.close()));
    }

    @Override
    public <T> void withConnection(Function<SqlConnection, Future<T>> function, Handler<AsyncResult<T>> handler) {
        withConnection(function).onComplete(handler);
    }

    @Override
    public <T> Future<T> withTransaction(Function<SqlConnection, Future<T>> function) {
        return withConnection(connection -> connection.begin().compose(tx -> function.apply(connection)
                .compose(result -> tx.commit().map(result),
                        failure -> tx.rollback().transform(ignored -> Future.<T>failedFuture(failure)))));
    }

    @Override
    public <T> void withTransaction(Function<SqlConnection, Future<T>> function, Handler<AsyncResult<T>> handler) {
        withTransaction(function).onComplete(handler);
    }

    @Override
    public Query<RowSet<Row>> query(String sql) {
        return delegate.query(sql);
    }

    @Override
    public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
        return delegate.preparedQuery(sql);
    }

    @Override
    public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
        return delegate.preparedQuery(sql, options);
    }

    @Override
    public PgPool connectHandler(Handler<SqlConnection> handler) {
        delegate.connectHandler(handler);
        return this;
    }

    @Override
    public PgPool connectionProvider(Function<Context, Future<SqlConnection>> provider) {
        delegate.connectionProvider(provider);
        return this;
    }

    @Override
    public int size() {
        return delegate.size();
    }

    @Override
    public void close(Handler<AsyncResult<Void>> handler) {
        delegate.close(handler);
    }

    @Override
    public Future<Void> close() {
        return delegate.close();
    }
}
