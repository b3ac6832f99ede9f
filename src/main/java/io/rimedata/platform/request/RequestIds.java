package io.rimedata.platform.request;

import io.vertx.ext.web.RoutingContext;

/** Request ids ({@code req_<ULID>}) as carried in the routing context, the response header and the logs. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    static final String KEY = "rime.request-id";

    private RequestIds() {
    }

    public static String newId() {
        return "req_" + Ulid.next();
    }

    /** The id of the request, assigning one if the request id filter has not run (e.g. a failure before it). */
    public static String of(RoutingContext rc) {
        String id = rc.get(KEY);
        if (id == null) {
            id = newId();
            rc.put(KEY, id);
            if (!rc.response().headWritten()) {
                rc.response().putHeader(HEADER, id);
            }
        }
        return id;
    }
}
