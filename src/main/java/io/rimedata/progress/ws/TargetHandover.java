package io.rimedata.progress.ws;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.rimedata.progress.WatchTarget;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import jakarta.enterprise.context.ApplicationScoped;

/** Moves what {@link HandshakeGate} established onto the connection; a handshake it did not admit is refused. */
@ApplicationScoped
public class TargetHandover implements HttpUpgradeCheck {

    static final UserData.TypedKey<WatchTarget> KEY = new UserData.TypedKey<>("rime.watch-target");

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        WatchTarget target = ((HttpServerRequestInternal) context.httpRequest()).context().getLocal(HandshakeGate.TARGET);
        if (target == null) {
            return CheckResult.rejectUpgrade(401);
        }
        context.userData().put(KEY, target);
        return CheckResult.permitUpgrade();
    }
}
