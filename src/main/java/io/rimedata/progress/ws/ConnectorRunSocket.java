package io.rimedata.progress.ws;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/** One connector run's progress (§9); admission happens in {@link HandshakeGate}. */
@WebSocket(path = "/api/v1/projects/{id}/connectors/{connectorId}/runs/{runId}/progress")
public class ConnectorRunSocket {

    private final WatchSockets sockets;

    ConnectorRunSocket(WatchSockets sockets) {
        this.sockets = sockets;
    }

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        return sockets.open(connection);
    }

    @OnClose
    public void close(WebSocketConnection connection) {
        sockets.closed(connection);
    }
}
