package io.rimedata.platform.http;

import io.rimedata.platform.error.DatabaseFailures;
import io.rimedata.platform.error.ErrorCodes;
import io.rimedata.platform.error.ErrorWriter;
import io.rimedata.platform.request.RequestIdFilter;
import io.rimedata.platform.tenancy.TenancyFilter;
import io.rimedata.platform.transport.TransportFilter;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Assembles the HTTP end of the request chain on the Vert.x router: request id → security headers → canonical path
 * (a 400 for any other spelling, see {@link CanonicalPath}) → transport rules → tenancy, then the application routes,
 * then a catch-all 404 and a failure handler, all answering with the envelope.
 * The JAX-RS end (authentication, revocation, rate limit) is {@code RequestGate}.
 */
@ApplicationScoped
public class RequestChain {

    private static final Logger LOG = Logger.getLogger(RequestChain.class);

    void register(@Observes Router router, RequestIdFilter requestIds, TransportFilter transport,
            TenancyFilter tenancy, ErrorWriter errors, RouteIndex routes) {
        router.route().order(FilterOrder.REQUEST_ID).handler(requestIds::assign);
        router.route().order(FilterOrder.SECURITY_HEADERS).handler(SecurityHeaders::handle);
        router.route().order(FilterOrder.CANONICAL_PATH).handler(rc -> {
            String problem = CanonicalPath.problem(rc.request().path());
            if (problem == null) {
                rc.next();
            } else {
                errors.write(rc, 400, ErrorCodes.of(400), problem, List.of());
            }
        });
        router.route().order(FilterOrder.TRANSPORT).handler(transport::check);
        router.route().order(FilterOrder.TENANCY).handler(tenancy::resolve);
        router.route().last().handler(rc -> {
            // a path that exists with other methods is a 405, wherever the router gave up on it
            String allow = routes.allowIfWrongMethod(rc.request().path(), rc.request().method().name());
            if (allow != null) {
                rc.response().putHeader("Allow", allow);
                errors.write(rc, 405, ErrorCodes.of(405), ErrorCodes.message(405), List.of());
            } else {
                errors.write(rc, 404, ErrorCodes.of(404), ErrorCodes.message(404), List.of());
            }
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(rc -> fail(rc, errors));
    }

    private static void fail(RoutingContext rc, ErrorWriter errors) {
        // a failure may come from a handler that ran before the chain's first links
        SecurityHeaders.apply(rc);
        int status = rc.statusCode();
        Throwable failure = rc.failure();
        if (status >= 400 && status < 500) {
            errors.write(rc, status, ErrorCodes.of(status), ErrorCodes.message(status), List.of());
        } else if (failure != null && DatabaseFailures.isUnavailable(failure)) {
            rc.response().putHeader("Retry-After", "1");
            errors.write(rc, 503, ErrorCodes.of(503), ErrorCodes.message(503), List.of());
        } else {
            LOG.error("Unhandled failure", failure);
            errors.write(rc, 500, ErrorCodes.of(500), ErrorCodes.message(500), List.of());
        }
    }
}
