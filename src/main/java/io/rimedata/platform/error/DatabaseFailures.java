package io.rimedata.platform.error;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** Tells a database outage (→ 503) from a bug (→ 500) by walking the cause chain. */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof TimeoutException
                    || t instanceof io.vertx.sqlclient.ClosedConnectionException
                    || t instanceof io.netty.channel.ConnectTimeoutException) {
                return true;
            }
            String name = t.getClass().getName();
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
