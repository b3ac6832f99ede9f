package io.rimedata.identity.rest;

import io.rimedata.identity.Role;
import io.rimedata.identity.service.ApiKeyService;
import io.rimedata.identity.service.CurrentCaller;
import io.rimedata.platform.pagination.Page;
import io.rimedata.platform.pagination.Pagination;
import io.rimedata.platform.request.CallContext;
import io.rimedata.platform.idempotency.IssuesCredentials;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/projects/{id}/api-keys")
@Tag(name = "API keys")
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeyResource {

    private final ApiKeyService keys;
    private final Pagination pagination;
    private final CallContext call;
    private final CurrentCaller caller;

    ApiKeyResource(ApiKeyService keys, Pagination pagination, CallContext call, CurrentCaller caller) {
        this.keys = keys;
        this.pagination = pagination;
        this.call = call;
        this.caller = caller;
    }

    @GET
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "List a project's API keys", description = "Role: editor. Never shows the keys themselves.")
    @APIResponse(responseCode = "200", description = "A page of keys")
    public Uni<Page<ApiKeyApi.ApiKeyView>> list(@PathParam("id") UUID projectId, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        return keys.list(call.tenant(), projectId,
                pagination.ascending("api-keys:" + projectId, Pagination.filters(), limit, cursor));
    }

    @IssuesCredentials
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "Create an API key", description = "Role: editor. The key (`rk_…`) is in this response only; "
            + "send it as `Authorization: Bearer`. It acts only inside this project, with a role no higher than its "
            + "creator's (403 otherwise).")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = ApiKeyApi.ApiKeyView.class)))
    public Uni<RestResponse<ApiKeyApi.ApiKeyView>> create(@PathParam("id") UUID projectId,
            @Valid @NotNull ApiKeyApi.CreateApiKey body) {
        return keys.create(call.tenant(), caller.get(), projectId, body).map(created -> RestResponse.ResponseBuilder
                .<ApiKeyApi.ApiKeyView>created(URI.create("projects/" + projectId + "/api-keys/" + created.id()))
                .entity(created).build());
    }

    @DELETE
    @Path("/{keyId}")
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "Revoke an API key", description = "Role: editor. Requests with the key fail with 401 on every "
            + "replica at once.")
    @APIResponse(responseCode = "204", description = "Revoked")
    public Uni<RestResponse<Void>> revoke(@PathParam("id") UUID projectId, @PathParam("keyId") UUID keyId) {
        return keys.revoke(call.tenant(), projectId, keyId).map(v -> RestResponse.noContent());
    }
}
