package io.rimedata.progress.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.rimedata.progress.WatchTarget;
import io.rimedata.progress.service.ProgressHub;
import io.rimedata.progress.service.RunSnapshots;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** What the three WebSocket endpoints share: a watcher per connection, registered with the hub while open. */
@ApplicationScoped
public class WatchSockets {

    private static final Logger LOG = Logger.getLogger(WatchSockets.class);
    private static final UserData.TypedKey<Watcher> WATCHER = new UserData.TypedKey<>("rime.watcher");

    private final ProgressHub hub;
    private final RunSnapshots snapshots;

    WatchSockets(ProgressHub hub, RunSnapshots snapshots) {
        this.hub = hub;
        this.snapshots = snapshots;
    }

    public Uni<Void> open(WebSocketConnection connection) {
        WatchTarget target = connection.userData().get(TargetHandover.KEY);
        if (target == null || hub.isStopping()) {
            return connection.close(new CloseReason(target == null ? 1008 : 1001, target == null ? "Not admitted." : "Shutting down."));
        }
        Watcher.Channel channel = channel(connection, target);
        if (target.kind() == WatchTarget.Kind.PROJECT) {
            connection.userData().put(WATCHER, hub.watchProject(target, channel));
            return Uni.createFrom().voidItem();
        }
        return hub.watchRun(target, channel).invoke(watcher -> connection.userData().put(WATCHER, watcher))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("Watching run %s failed: %s", target.runId(), failure.toString());
                    return connection.close(new CloseReason(1011, "Could not load the run.")).replaceWith((Watcher) null);
                })
                .replaceWithVoid();
    }

    public void closed(WebSocketConnection connection) {
        WatchTarget target = connection.userData().get(TargetHandover.KEY);
        Watcher watcher = connection.userData().get(WATCHER);
        if (target == null || watcher == null) {
            return;
        }
        if (target.kind() == WatchTarget.Kind.PROJECT) {
            hub.unwatchProject(target.projectId(), watcher);
        } else {
            hub.unwatchRun(target.runId(), watcher);
        }
    }

    private Watcher.Channel channel(WebSocketConnection connection, WatchTarget target) {
        return new Watcher.Channel() {
            @Override
            public Uni<Void> send(String text) {
                return connection.sendText(text);
            }

            @Override
            public void close(int code, String reason) {
                if (connection.isOpen()) {
                    connection.close(new CloseReason(code, reason)).subscribe().with(v -> { }, f -> { });
                }
            }

            @Override
            public Uni<ObjectNode> snapshot() {
                return snapshots.of(target);
            }
        };
    }
}
