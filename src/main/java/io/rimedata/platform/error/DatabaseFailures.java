package io.rimedata.platform.error;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** Tells a database outage (→ 503) from a bug (→ 500) by walking the cause chain. */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /** A unique constraint refused a write: two requests raced past the service's own duplicate check. */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
            // Hibernate Reactive may report it as its own exception, carrying the SQLSTATE but not the driver's
            if (t instanceof org.hibernate.JDBCException jdbc && "23505".equals(jdbc.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Text PostgreSQL cannot store (U+0000, SQLSTATE 22021) or convert (22P05): the client's input, so a 400. */
    public static boolean isUnstorableText(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String state = t instanceof io.vertx.pgclient.PgException pg ? pg.getSqlState()
                    : t instanceof org.hibernate.JDBCException jdbc ? jdbc.getSQLState() : null;
            if ("22021".equals(state) || "22P05".equals(state)) {
                return true;
            }
        }
        return false;
    }

    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // 08xxx connection exceptions and 57Pxx (the server is shutting down, restarting, not yet accepting)
            if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
                return true;
            }
            if (t instanceof ConnectException || t instanceof java.net.SocketException || t instanceof TimeoutException
                    || t instanceof io.vertx.sqlclient.ClosedConnectionException
                    || t instanceof io.netty.channel.ConnectTimeoutException) {
                return true;
            }
            String name = t.getClass().getName();
            if (name.endsWith("ConnectionPoolTooBusyException")) {
                return true; // the pool's wait queue is full: overload, answered fast rather than queued
            }
            String message = String.valueOf(t.getMessage());
            // the pool reports an exhausted wait queue or acquisition timeout with plain exceptions
            if (name.startsWith("io.vertx") && (message.contains("waiting requests") || message.contains("Timeout")
                    || message.contains("Connection refused") || message.contains("connection"))) {
                return true;
            }
        }
        return false;
    }
}
