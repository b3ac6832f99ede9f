package io.rimedata.platform.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.rimedata.platform.request.RequestIds;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
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

    ErrorMappers(CurrentVertxRequest currentRequest) {
        this.currentRequest = currentRequest;
    }

    @ServerExceptionMapper
    public Response api(ApiException e) {
        Response.ResponseBuilder builder = envelope(e.status(), e.code(), e.getMessage(), e.details());
        if (e instanceof RateLimited limited) {
            builder.header("Retry-After", limited.retryAfterSeconds());
        } else if (e instanceof ServiceUnavailable) {
            builder.header("Retry-After", 1);
        } else if (e instanceof Unauthorized) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response unknownRoute(NotFoundException e) {
        return envelope(404, "resource_not_found", "No route matches this path.", List.of()).build();
    }

    @ServerExceptionMapper
    public Response wrongMethod(NotAllowedException e) {
        Response.ResponseBuilder builder = envelope(405, "method_not_allowed", "This method is not allowed on this path.", List.of());
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
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
        if (status == 413) {
            return envelope(413, "payload_too_large", "The request body is larger than allowed.", List.of()).build();
        }
        return envelope(status, status == 400 ? "validation_error" : "bad_request", "The request could not be processed.", List.of()).build();
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return envelope(400, "validation_error", BadRequest.DEFAULT_MESSAGE,
                List.of(new ErrorDetail(JsonPaths.of(e.getPath()), "Unknown field."))).build();
    }

    @ServerExceptionMapper
    public Response wrongType(MismatchedInputException e) {
        String expected = e.getTargetType() == null ? "a different type" : JsonPaths.describe(e.getTargetType());
        String field = JsonPaths.of(e.getPath());
        String message = e instanceof InvalidFormatException ? "Invalid value; expected " + expected + "."
                : "Expected " + expected + ".";
        return envelope(400, "validation_error", BadRequest.DEFAULT_MESSAGE,
                List.of(new ErrorDetail(field.isEmpty() ? "$" : field, message))).build();
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return envelope(400, "validation_error", BadRequest.DEFAULT_MESSAGE,
                    List.of(new ErrorDetail(JsonPaths.of(mapping.getPath()), "Invalid value."))).build();
        }
        return envelope(400, "validation_error", "The request body is not valid JSON.", List.of()).build();
    }

    @ServerExceptionMapper
    public Response violations(ResteasyReactiveViolationException e) {
        return constraintViolations(e);
    }

    @ServerExceptionMapper
    public Response constraintViolations(ConstraintViolationException e) {
        List<ErrorDetail> details = new ArrayList<>();
        boolean returnValue = false;
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            returnValue |= isReturnValue(violation.getPropertyPath());
            details.add(new ErrorDetail(fieldOf(violation.getPropertyPath()), violation.getMessage()));
        }
        if (returnValue) {
            return internal(e);
        }
        details.sort(Comparator.comparing(ErrorDetail::field));
        return envelope(400, "validation_error", BadRequest.DEFAULT_MESSAGE, details).build();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthorized();
    }

    @ServerExceptionMapper
    public Response anonymous(UnauthorizedException e) {
        return unauthorized();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return envelope(403, "forbidden", "Your role does not permit this operation.", List.of()).build();
    }

    @ServerExceptionMapper
    public Response concurrentUpdate(StaleStateException e) {
        return envelope(409, "conflict", "The resource was modified concurrently; fetch it and retry.", List.of()).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (DatabaseFailures.isUnavailable(e)) {
            LOG.warnf("Database unavailable: %s", e.toString());
            return envelope(503, "service_unavailable", "A backing service is unavailable; retry shortly.", List.of())
                    .header("Retry-After", 1).build();
        }
        return internal(e);
    }

    private Response unauthorized() {
        return envelope(401, "unauthorized", "Authentication is required: send a valid Bearer token.", List.of())
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    private Response internal(Throwable e) {
        LOG.error("Unexpected failure", e);
        return envelope(500, "internal_error", "An unexpected error occurred.", List.of()).build();
    }

    private Response.ResponseBuilder envelope(int status, String code, String message, List<ErrorDetail> details) {
        RoutingContext rc = currentRequest.getCurrent();
        String requestId = rc == null ? RequestIds.newId() : RequestIds.of(rc);
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorEnvelope.of(code, message, details, requestId));
    }

    private static boolean isReturnValue(Path path) {
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return true;
            }
        }
        return false;
    }

    /** {@code create.body.settings.aws.region} → {@code settings.aws.region}, with Java names in snake_case. */
    static String fieldOf(Path path) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getKind() != ElementKind.PROPERTY && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
                continue;
            }
            if (node.getName() == null || node.getName().startsWith("<")) {
                continue;
            }
            if (field.length() > 0) {
                field.append('.');
            }
            field.append(JsonPaths.snake(node.getName()));
            if (node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() != null) {
                field.append('.').append(node.getKey());
            }
        }
        return field.length() == 0 ? "$" : field.toString();
    }
}
