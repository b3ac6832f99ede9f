package io.rimedata.platform.http;

/**
 * Vert.x route orders of the request chain: after Quarkus' own early handlers (body, CORS, and authentication at
 * -200, which only prepares the deferred identity since authentication is not proactive) and before every
 * application route — WebSocket endpoints take the first non-negative orders, Quarkus REST sits at 10000.
 */
public final class FilterOrder {

    static final int REQUEST_ID = -190;
    static final int SECURITY_HEADERS = -187;
    static final int CANONICAL_PATH = -185;
    static final int TRANSPORT = -180;
    static final int TENANCY = -170;
    /** WebSocket handshakes: after tenancy, before the upgrade itself. */
    public static final int UPGRADE = -160;

    private FilterOrder() {
    }
}
