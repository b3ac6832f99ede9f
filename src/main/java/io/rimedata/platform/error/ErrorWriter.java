package io.rimedata.platform.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rimedata.platform.request.RequestIds;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Writes the error envelope straight to Vert.x, for failures raised before JAX-RS routing. */
@ApplicationScoped
public class ErrorWriter {

    private final ObjectMapper mapper;

    ErrorWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void write(RoutingContext rc, ApiException e) {
        if (e instanceof RateLimited limited) {
            rc.response().putHeader("Retry-After", Long.toString(limited.retryAfterSeconds()));
        } else if (e instanceof ServiceUnavailable) {
            rc.response().putHeader("Retry-After", "1");
        } else if (e instanceof Unauthorized unauthorized) {
            rc.response().putHeader("WWW-Authenticate", unauthorized.challenge());
        }
        write(rc, e.status(), e.code(), e.getMessage(), e.details());
    }

    public void write(RoutingContext rc, int status, String code, String message, List<ErrorDetail> details) {
        if (rc.response().ended()) {
            return;
        }
        String body;
        try {
            body = mapper.writeValueAsString(ErrorEnvelope.of(code, message, details, RequestIds.of(rc)));
        } catch (JsonProcessingException impossible) {
            body = "{\"error\":{\"code\":\"internal_error\",\"message\":\"Internal error.\"}}";
        }
        rc.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body);
    }
}
