package io.rimedata.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client for tests: connects to a tenant host on the HTTPS port, records messages and the close code. */
public final class WsClient {

    private static final Vertx VERTX = Vertx.vertx();
    private static final WebSocketClient CLIENT = VERTX.createWebSocketClient(new WebSocketClientOptions()
            .setSsl(true).setTrustAll(true).setVerifyHost(false).setMaxConnections(10_000));

    private WsClient() {
    }

    /** An open socket: its messages as they arrive, and how it closed. */
    public static final class Session {
        public final WebSocket socket;
        public final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
        public final CompletableFuture<Integer> closed = new CompletableFuture<>();

        Session(WebSocket socket) {
            this.socket = socket;
            socket.textMessageHandler(text -> messages.add(new JsonObject(text)));
            socket.closeHandler(v -> closed.complete(socket.closeStatusCode() == null ? -1 : (int) socket.closeStatusCode()));
        }

        public JsonObject next() throws InterruptedException {
            JsonObject message = messages.poll(20, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no message within 20 s");
            }
            return message;
        }

        public int awaitClose(Duration within) throws Exception {
            return closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
        }

        public void close() {
            socket.close();
        }
    }

    /** A refused handshake: its status, body, request id and authentication challenge. */
    public record Refusal(int status, JsonObject body, String requestId, String wwwAuthenticate) {
    }

    public static Session connect(String subdomain, String path, String bearer, List<String> subprotocols) throws Exception {
        Object result = attempt(subdomain, path, bearer, subprotocols);
        if (result instanceof Refusal r) {
            throw new AssertionError("handshake refused: " + r);
        }
        return (Session) result;
    }

    public static Refusal refused(String subdomain, String path, String bearer, List<String> subprotocols) throws Exception {
        Object result = attempt(subdomain, path, bearer, subprotocols);
        if (result instanceof Session s) {
            s.close();
            throw new AssertionError("handshake was accepted");
        }
        return (Refusal) result;
    }

    private static Object attempt(String subdomain, String path, String bearer, List<String> subprotocols) throws Exception {
        // *.localhost does not resolve here: connect to the loopback address and name the tenant in Host
        WebSocketConnectOptions options = new WebSocketConnectOptions().setSsl(true)
                .setHost("127.0.0.1").setPort(Api.HTTPS_PORT).setURI("/api/v1" + path)
                .addHeader("Host", subdomain + ".localhost:" + Api.HTTPS_PORT);
        if (bearer != null) {
            options.addHeader("Authorization", "Bearer " + bearer);
        }
        if (subprotocols != null) {
            options.setSubProtocols(subprotocols);
        }
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        CLIENT.connect(options).onComplete(ar -> {
            if (ar.succeeded()) {
                outcome.complete(new Session(ar.result()));
            } else if (ar.cause() instanceof UpgradeRejectedException rejected) {
                String body = rejected.getBody() == null ? "{}" : rejected.getBody().toString();
                outcome.complete(new Refusal(rejected.getStatus(), new JsonObject(body.isBlank() ? "{}" : body),
                        rejected.getHeaders() == null ? null : rejected.getHeaders().get("X-Request-Id"),
                        rejected.getHeaders() == null ? null : rejected.getHeaders().get("WWW-Authenticate")));
            } else {
                outcome.completeExceptionally(ar.cause());
            }
        });
        return outcome.get(20, TimeUnit.SECONDS);
    }
}
