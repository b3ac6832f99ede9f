package io.rimedata.platform.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.rimedata.platform.http.RouteIndex;
import io.rimedata.platform.request.RequestIds;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become HTTP responses. Every mapper produces the error envelope of §1.1 and
 * never leaks exception names, SQL or stack traces.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    private final CurrentVertxRequest currentRequest;
    private final RouteIndex routes;

    ErrorMappers(CurrentVertxRequest currentRequest, RouteIndex routes) {
        this.currentRequest = currentRequest;
        this.routes = routes;
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return of(currentRequest.getCurrent(), e);
    }

    @ServerExceptionMapper
    public Response unknownRoute(NotFoundException e) {
        RoutingContext rc = currentRequest.getCurrent();
        if (rc != null && routes.allowIfWrongMethod(rc.request().path(), rc.request().method().name()) != null) {
            return wrongMethod(new NotAllowedException("GET"));
        }
        return envelope(404, "resource_not_found", "No route matches this path.", List.of()).build();
    }

    @ServerExceptionMapper
    public Response wrongMethod(NotAllowedException e) {
        Response.ResponseBuilder builder = envelope(405, "method_not_allowed", "This method is not allowed on this path.", List.of());
        RoutingContext rc = currentRequest.getCurrent();
        String allow = rc == null ? null : routes.allow(rc.request().path());
        if (allow != null) {
            builder.header(HttpHeaders.ALLOW, allow);
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e) {
        return envelope(415, "unsupported_media_type", "Request bodies must be sent as Content-Type: application/json.", List.of()).build();
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e) {
        return envelope(406, "not_acceptable", "This endpoint responds with application/json only.", List.of()).build();
    }

    @ServerExceptionMapper
    public Response otherWebApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return internal(e);
        }
        return envelope(status, ErrorCodes.of(status), ErrorCodes.message(status), List.of()).build();
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return api(JsonErrors.toBadRequest(e));
    }

    /** Declared separately so it takes precedence over Quarkus' built-in mapper for this exact type. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return api(JsonErrors.toBadRequest(e));
    }

    @ServerExceptionMapper
    public Response unknownJsonField(UnrecognizedPropertyException e) {
        return api(JsonErrors.toBadRequest(e));
    }

    @ServerExceptionMapper
    public Response violations(ResteasyReactiveViolationException e) {
        return constraintViolations(e);
    }

    @ServerExceptionMapper
    public Response constraintViolations(ConstraintViolationException e) {
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            if (Violations.isReturnValue(violation.getPropertyPath())) {
                return internal(e);
            }
        }
        return envelope(400, "validation_error", BadRequest.DEFAULT_MESSAGE,
                Violations.details(e.getConstraintViolations())).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return envelope(403, "forbidden", "Your role does not permit this operation.", List.of()).build();
    }

    @ServerExceptionMapper
    public Response concurrentUpdate(jakarta.persistence.OptimisticLockException e) {
        return envelope(409, "conflict", "The resource was modified concurrently; fetch it and retry.", List.of()).build();
    }

    @ServerExceptionMapper
    public Response concurrentUpdate(StaleStateException e) {
        return envelope(409, "conflict", "The resource was modified concurrently; fetch it and retry.", List.of()).build();
    }

    /** A multipart body that ends before its closing boundary (or is empty) is the client's, not ours. */
    @ServerExceptionMapper
    public Response truncatedBody(java.io.IOException e) {
        if (String.valueOf(e.getMessage()).startsWith("Connection terminated reading multipart data")) {
            return envelope(400, "validation_error", "The multipart body is empty or ends before its closing boundary.",
                    List.of()).build();
        }
        return unexpected(e);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (DatabaseFailures.isUnstorableText(e)) {
            return envelope(400, "validation_error", BadRequest.DEFAULT_MESSAGE, List.of(new ErrorDetail("$",
                    "Text must not contain the character U+0000."))).build();
        }
        if (DatabaseFailures.isUniqueViolation(e)) {
            return envelope(409, "conflict", "A resource with these values already exists.", List.of()).build();
        }
        if (DatabaseFailures.isUnavailable(e)) {
            LOG.warnf("Database unavailable: %s", e.toString());
            return envelope(503, "service_unavailable", "A backing service is unavailable; retry shortly.", List.of())
                    .header("Retry-After", 1).build();
        }
        return internal(e);
    }

    private Response internal(Throwable e) {
        LOG.error("Unexpected failure", e);
        return envelope(500, "internal_error", "An unexpected error occurred.", List.of()).build();
    }

    private Response.ResponseBuilder envelope(int status, String code, String message, List<ErrorDetail> details) {
        return envelope(currentRequest.getCurrent(), status, code, message, details);
    }

    private static Response.ResponseBuilder envelope(RoutingContext rc, int status, String code, String message,
            List<ErrorDetail> details) {
        String requestId = rc == null ? RequestIds.newId() : RequestIds.of(rc);
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorEnvelope.of(code, message, details, requestId));
    }

    /** The envelope of an API failure, for mappers declared next to the component they belong to. */
    public static Response of(RoutingContext rc, ApiException e) {
        Response.ResponseBuilder builder = envelope(rc, e.status(), e.code(), e.getMessage(), e.details());
        if (e instanceof RateLimited limited) {
            builder.header("Retry-After", limited.retryAfterSeconds());
        } else if (e instanceof ServiceUnavailable) {
            builder.header("Retry-After", 1);
        } else if (e instanceof Unauthorized unauthorized) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, unauthorized.challenge());
        }
        return builder.build();
    }

}
