package io.rimedata.platform.http;

import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

/**
 * Documents, once for every operation, what the request chain adds to it: the error envelope for each status the
 * chain itself can produce, {@code X-Request-Id} and the rate-limit headers on every response, and bearer
 * authentication where the operation needs it. Operation-specific statuses stay on the resource methods.
 */
public class OpenApiConventions implements OASFilter {

    private static final String ERROR_REF = "#/components/schemas/Error";
    private static final Map<String, String> ALWAYS = Map.of(
            "400", "Invalid input: malformed JSON, unknown or invalid fields, bad query parameters (`validation_error`).",
            "403", "Not permitted: role, API-key scope, tier limit, or plain HTTP (`forbidden`).",
            "404", "Unknown tenant, route or resource, or one owned by another tenant (`resource_not_found`).",
            "429", "Rate limit exceeded (`rate_limited`); see `Retry-After`.",
            "500", "Unexpected failure (`internal_error`); the message carries no internals.",
            "503", "A backing service (PostgreSQL) is unavailable (`service_unavailable`); see `Retry-After`.");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        components.addSecurityScheme("bearer", OASFactory.createSecurityScheme()
                .type(org.eclipse.microprofile.openapi.models.security.SecurityScheme.Type.HTTP)
                .scheme("bearer").bearerFormat("JWT")
                .description("An access token from POST /auth/login, or an API key. Never in the query string."));
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations()
                .forEach((method, operation) -> decorate(path, method, operation)));
    }

    private void decorate(String path, PathItem.HttpMethod method, Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        boolean isPublic = path.startsWith("/api/v1/auth/login") || path.startsWith("/api/v1/auth/refresh")
                || path.startsWith("/api/v1/auth/jwks") || path.startsWith("/api/v1/auth/invitations");
        for (Map.Entry<String, String> e : ALWAYS.entrySet()) {
            addError(responses, e.getKey(), e.getValue());
        }
        addError(responses, "401", isPublic && !path.endsWith("/login") && !path.endsWith("/refresh")
                ? "Not authenticated." : "Missing, malformed, expired or revoked token, or one of another tenant (`unauthorized`).");
        boolean hasBody = operation.getRequestBody() != null;
        if (hasBody) {
            addError(responses, "413", "The body exceeds the configured limit (`payload_too_large`).");
            addError(responses, "415", "The body is not `application/json` (`unsupported_media_type`).");
        }
        if (method == PathItem.HttpMethod.POST) {
            addError(responses, "409", "Conflict, or an `Idempotency-Key` still in flight (`conflict`).");
            addError(responses, "422", "Semantically invalid, or an `Idempotency-Key` reused with another body (`unprocessable_entity`).");
        }
        responses.getAPIResponses().forEach((status, response) -> addCommonHeaders(response));
        if (!isPublic && !path.startsWith("/api/v1/platform")) {
            operation.setSecurity(java.util.List.of(OASFactory.createSecurityRequirement().addScheme("bearer")));
        } else if (path.startsWith("/api/v1/platform")) {
            operation.setSecurity(java.util.List.of(OASFactory.createSecurityRequirement().addScheme("bearer")));
            operation.setDescription((operation.getDescription() == null ? "" : operation.getDescription() + "\n\n")
                    + "Served only on the bare base-domain host; the bearer credential is the platform operator token.");
        } else {
            operation.setSecurity(java.util.List.<SecurityRequirement>of());
        }
    }

    private static void addError(APIResponses responses, String status, String description) {
        APIResponse existing = responses.getAPIResponse(status);
        Content content = OASFactory.createContent().addMediaType("application/json",
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(ERROR_REF)));
        if (existing == null) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description).content(content));
        } else if (existing.getContent() == null || existing.getContent().getMediaTypes().isEmpty()) {
            existing.setContent(content);
        }
    }

    private static void addCommonHeaders(APIResponse response) {
        Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        response.addHeader("X-Request-Id", header("Request id `req_<ULID>`, also in the error body and the logs.", string));
        response.addHeader("RateLimit", header("`limit=N, remaining=N, reset=S` for this endpoint's bucket.", string));
        response.addHeader("RateLimit-Policy", header("`capacity;w=window-seconds` of this endpoint's bucket.", string));
    }

    private static Header header(String description, Schema schema) {
        return OASFactory.createHeader().description(description).schema(schema);
    }

}
