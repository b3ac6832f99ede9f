package io.rimedata.platform.error;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.pgclient.PgException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/** What counts as "the database is unavailable" (503) rather than a bug (500). */
class DatabaseFailuresTest {

    private static PgException pg(String sqlState) {
        return new PgException("message", "FATAL", sqlState, null);
    }

    @Test
    void aDatabaseShuttingDownOrStartingUpIsUnavailable() {
        assertTrue(DatabaseFailures.isUnavailable(pg("57P01")), "terminating connection due to administrator command");
        assertTrue(DatabaseFailures.isUnavailable(pg("57P03")), "the database system is starting up");
        assertTrue(DatabaseFailures.isUnavailable(new RuntimeException("wrapped", pg("08006"))), "connection failure, wrapped");
        assertTrue(DatabaseFailures.isUnavailable(new SocketException("Connection reset")));
        assertTrue(DatabaseFailures.isUnavailable(new RuntimeException(new io.vertx.core.http.ConnectionPoolTooBusyException("Connection pool reached max wait queue size of 256"))),
                "the pool's wait queue is full");
    }

    @Test
    void aQueryErrorIsNot() {
        assertFalse(DatabaseFailures.isUnavailable(pg("42P01")), "undefined table is a bug");
        assertFalse(DatabaseFailures.isUnavailable(pg("23505")));
        assertFalse(DatabaseFailures.isUnavailable(new IllegalStateException("boom")));
    }
}
