package io.rimedata.project.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rimedata.identity.Role;
import io.rimedata.identity.service.CurrentCaller;
import io.rimedata.platform.http.ETags;
import io.rimedata.platform.pagination.Page;
import io.rimedata.platform.pagination.Pagination;
import io.rimedata.platform.request.CallContext;
import io.rimedata.project.rest.ProjectApi.ProjectInput;
import io.rimedata.project.rest.ProjectApi.ProjectView;
import io.rimedata.project.service.ProjectService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/projects")
@Tag(name = "Projects")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectResource {

    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final ProjectService projects;
    private final Pagination pagination;
    private final CallContext call;
    private final CurrentCaller caller;

    ProjectResource(ProjectService projects, Pagination pagination, CallContext call, CurrentCaller caller) {
        this.projects = projects;
        this.pagination = pagination;
        this.call = call;
        this.caller = caller;
    }

    @GET
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "List projects", description = "Oldest first, cursor-paginated. Role: viewer.")
    @APIResponse(responseCode = "200", description = "A page of projects")
    public Uni<Page<ProjectView>> list(
            @Parameter(description = "Page size, 1 to 100 (default 50).") @QueryParam("limit") String limit,
            @Parameter(description = "`next_cursor` of the previous page.") @QueryParam("cursor") String cursor) {
        return projects.list(call.tenant(), pagination.ascending("projects", Pagination.filters(), limit, cursor));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "Create a project", description = "Role: editor. Secrets in settings are write-only.")
    @APIResponse(responseCode = "201", description = "Created", headers = {
            @Header(name = "Location", description = "URL of the new project"),
            @Header(name = "ETag", description = "Entity tag of the new project") },
            content = @Content(schema = @Schema(implementation = ProjectView.class)))
    @APIResponse(responseCode = "409", description = "A project with this name exists (names are case-insensitive)")
    public Uni<RestResponse<ProjectView>> create(@Valid @NotNull ProjectInput body) {
        return projects.create(call.tenant(), caller.get(), body).map(created -> RestResponse.ResponseBuilder
                .<ProjectView>created(URI.create("projects/" + created.value().id()))
                .entity(created.value()).header("ETag", created.etag()).build());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "Get a project", description = "Role: viewer. Send `If-None-Match` to get 304 when unchanged.")
    @APIResponse(responseCode = "200", description = "The project", headers = @Header(name = "ETag"),
            content = @Content(schema = @Schema(implementation = ProjectView.class)))
    @APIResponse(responseCode = "304", description = "Not modified since the given ETag")
    public Uni<RestResponse<ProjectView>> get(@PathParam("id") UUID id, @HeaderParam("If-None-Match") String ifNoneMatch) {
        return projects.get(call.tenant(), id).map(tagged -> ETags.okOrNotModified(tagged, ifNoneMatch));
    }

    @PATCH
    @Path("/{id}")
    @Consumes({ MediaType.APPLICATION_JSON, MERGE_PATCH })
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "Update a project (JSON merge patch)",
            description = "Role: editor. Absent fields are unchanged, `null` clears. A secret is replaced by sending a "
                    + "string and cleared by `null`. Send `If-Match` with the ETag to avoid lost updates.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ProjectInput.class)))
    @APIResponse(responseCode = "200", description = "Updated", headers = @Header(name = "ETag"),
            content = @Content(schema = @Schema(implementation = ProjectView.class)))
    @APIResponse(responseCode = "409", description = "A project with this name exists")
    @APIResponse(responseCode = "412", description = "`If-Match` does not match the current ETag")
    @APIResponse(responseCode = "422", description = "The Snowflake account changed without its secrets being supplied again")
    public Uni<RestResponse<ProjectView>> update(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch,
            JsonNode patch) {
        return projects.update(call.tenant(), id, patch, ifMatch).map(updated -> RestResponse.ResponseBuilder
                .ok(updated.value()).header("ETag", updated.etag()).build());
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Delete a project and everything in it", description = "Role: admin. Honours `If-Match`.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "412", description = "`If-Match` does not match the current ETag")
    public Uni<RestResponse<Void>> delete(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch) {
        return projects.delete(call.tenant(), id, ifMatch).map(v -> RestResponse.noContent());
    }
}
