package io.rimedata.platform.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Browser hardening headers on every response of the public listener: API answers, errors written before routing,
 * the UI page and the docs. Set before anything else runs, so no path through the chain can answer without them.
 */
public final class SecurityHeaders {

    /** API responses are data, never a document to render or frame. */
    static final String API_POLICY = "frame-ancestors 'none'";
    /** The UI page loads its own script and style and talks only to its own origin (fetch and WebSocket). */
    static final String UI_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    static final String HSTS = "max-age=31536000; includeSubDomains";

    private SecurityHeaders() {
    }

    /** The route handler: adds the headers and passes the request on. */
    static void handle(RoutingContext rc) {
        apply(rc);
        rc.next();
    }

    /** Adds the headers to this request's response (again, harmlessly, if they are already there). */
    public static void apply(RoutingContext rc) {
        HttpServerResponse response = rc.response();
        if (response.headWritten()) {
            return;
        }
        response.putHeader("X-Content-Type-Options", "nosniff");
        response.putHeader("Referrer-Policy", "no-referrer");
        response.putHeader("Content-Security-Policy", rc.request().path().startsWith("/ui/") ? UI_POLICY : API_POLICY);
        // only over HTTPS (the connection's, or a trusted proxy's X-Forwarded-Proto): browsers ignore it on HTTP
        if ("https".equals(rc.request().scheme())) {
            response.putHeader("Strict-Transport-Security", HSTS);
        }
    }
}
