package io.rimedata.support;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Stops and restarts the machine's Redis for outage tests (the same commands as deployment/local/services.sh). */
public final class LocalRedis {

    private LocalRedis() {
    }

    public static void stop() {
        run("redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave");
    }

    public static void start() {
        run("deployment/local/services.sh");
    }

    private static void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("Timed out: " + String.join(" ", command));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
