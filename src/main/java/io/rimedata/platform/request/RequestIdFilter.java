package io.rimedata.platform.request;

import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.MDC;

/** First link of the chain: every response, errors and handshakes included, carries an {@code X-Request-Id}. */
@ApplicationScoped
public class RequestIdFilter {

    public void assign(RoutingContext rc) {
        String id = RequestIds.newId();
        rc.put(RequestIds.KEY, id);
        rc.response().putHeader(RequestIds.HEADER, id);
        // MDC lives in the request's duplicated Vert.x context, so every log line of this request carries the id
        MDC.put("request_id", id);
        rc.next();
    }
}
