package io.rimedata.pipeline.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rimedata.identity.Role;
import io.rimedata.identity.service.CurrentCaller;
import io.rimedata.pipeline.rest.PipelineApi.PipelineInput;
import io.rimedata.pipeline.rest.PipelineApi.PipelineView;
import io.rimedata.pipeline.service.PipelineService;
import io.rimedata.platform.http.ETags;
import io.rimedata.platform.http.QueryParams;
import io.rimedata.platform.pagination.Page;
import io.rimedata.platform.pagination.Pagination;
import io.rimedata.platform.request.CallContext;
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

@Path("/projects/{id}/pipelines")
@Tag(name = "Pipelines")
@Produces(MediaType.APPLICATION_JSON)
public class PipelineResource {

    private static final String VALIDATION = " Field problems (unknown step type or config field, bad values, duplicate "
            + "keys) are a 400 naming each field; graph problems (missing upstream, self-dependency, duplicate edge, "
            + "cycle — its keys in order) and references to missing connectors are a 422. `transformation_id` is not "
            + "checked for existence: transformations are run by external runners.";

    private final PipelineService pipelines;
    private final Pagination pagination;
    private final CallContext call;
    private final CurrentCaller caller;

    PipelineResource(PipelineService pipelines, Pagination pagination, CallContext call, CurrentCaller caller) {
        this.pipelines = pipelines;
        this.pagination = pagination;
        this.call = call;
        this.caller = caller;
    }

    @GET
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "List a project's pipelines", description = "Role: viewer. Oldest first; each with the steps of its current version.")
    @APIResponse(responseCode = "200", description = "A page of pipelines")
    public Uni<Page<PipelineView>> list(@PathParam("id") UUID projectId, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        return pipelines.list(call.tenant(), projectId,
                pagination.ascending("pipelines:" + projectId, Pagination.filters(), limit, cursor));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "Create a pipeline", description = "Role: editor. Becomes version 1. Counts against the tier's "
            + "`pipelines_per_project` cap." + VALIDATION)
    @APIResponse(responseCode = "201", description = "Created", headers = @Header(name = "ETag"),
            content = @Content(schema = @Schema(implementation = PipelineView.class)))
    @APIResponse(responseCode = "409", description = "A pipeline with this name exists in the project")
    @APIResponse(responseCode = "422", description = "The steps do not form a valid graph, refer to missing connectors, or "
            + "a webhook URL is refused by the egress policy (`details` names `steps[i].config.url` and why)")
    public Uni<RestResponse<PipelineView>> create(@PathParam("id") UUID projectId, @Valid @NotNull PipelineInput body) {
        return pipelines.create(call.tenant(), caller.get(), projectId, body).map(created -> RestResponse.ResponseBuilder
                .<PipelineView>created(URI.create("projects/" + projectId + "/pipelines/" + created.value().id()))
                .entity(created.value()).header("ETag", created.etag()).build());
    }

    @GET
    @Path("/{pipelineId}")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "Get a pipeline", description = "Role: viewer. The steps of the current version. Send "
            + "`If-None-Match` to get 304 when unchanged.")
    @APIResponse(responseCode = "200", description = "The pipeline", headers = @Header(name = "ETag"),
            content = @Content(schema = @Schema(implementation = PipelineView.class)))
    @APIResponse(responseCode = "304", description = "Not modified since the given ETag")
    public Uni<RestResponse<PipelineView>> get(@PathParam("id") UUID projectId, @PathParam("pipelineId") UUID pipelineId,
            @HeaderParam("If-None-Match") String ifNoneMatch) {
        return pipelines.get(call.tenant(), projectId, pipelineId).map(tagged -> ETags.okOrNotModified(tagged, ifNoneMatch));
    }

    @PATCH
    @Path("/{pipelineId}")
    @Consumes({ MediaType.APPLICATION_JSON, "application/merge-patch+json" })
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "Update a pipeline (JSON merge patch)", description = "Role: editor. `steps` is replaced as a "
            + "whole; any change to it (config, edges, failure policy) writes a new current version, while name, "
            + "description and schedule changes do not. Honours `If-Match`." + VALIDATION)
    @RequestBody(content = @Content(schema = @Schema(implementation = PipelineInput.class)))
    @APIResponse(responseCode = "200", description = "Updated", headers = @Header(name = "ETag"),
            content = @Content(schema = @Schema(implementation = PipelineView.class)))
    @APIResponse(responseCode = "409", description = "A pipeline with this name exists in the project")
    @APIResponse(responseCode = "412", description = "`If-Match` does not match the current ETag")
    @APIResponse(responseCode = "422", description = "The steps do not form a valid graph, refer to missing connectors, "
            + "a webhook URL is refused by the egress policy (`details` names `steps[i].config.url` and why), or a "
            + "webhook's URL changed while its signing secret was kept with `{\"set\": true}` (re-supply it)")
    public Uni<RestResponse<PipelineView>> update(@PathParam("id") UUID projectId, @PathParam("pipelineId") UUID pipelineId,
            @HeaderParam("If-Match") String ifMatch, JsonNode patch) {
        return pipelines.update(call.tenant(), caller.get(), projectId, pipelineId, patch, ifMatch)
                .map(updated -> RestResponse.ResponseBuilder.ok(updated.value()).header("ETag", updated.etag()).build());
    }

    @DELETE
    @Path("/{pipelineId}")
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "Delete a pipeline", description = "Role: editor. 409 while a run is queued or running, "
            + "unless `force=true`, which cancels it first. Honours `If-Match`.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", description = "A run is active")
    @APIResponse(responseCode = "412", description = "`If-Match` does not match the current ETag")
    public Uni<RestResponse<Void>> delete(@PathParam("id") UUID projectId, @PathParam("pipelineId") UUID pipelineId,
            @HeaderParam("If-Match") String ifMatch,
            @Parameter(description = "Cancel active runs instead of answering 409.") @QueryParam("force") String force) {
        return pipelines.delete(call.tenant(), projectId, pipelineId, ifMatch, QueryParams.bool("force", force))
                .map(v -> RestResponse.noContent());
    }

    @GET
    @Path("/{pipelineId}/versions")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "List a pipeline's versions", description = "Role: viewer. Oldest first; exactly one is current.")
    @APIResponse(responseCode = "200", description = "A page of versions")
    public Uni<Page<PipelineApi.VersionSummary>> versions(@PathParam("id") UUID projectId,
            @PathParam("pipelineId") UUID pipelineId, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return pipelines.versions(call.tenant(), projectId, pipelineId,
                pagination.ascending("pipeline-versions:" + pipelineId, Pagination.filters(), limit, cursor));
    }

    @GET
    @Path("/{pipelineId}/versions/{n}")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "Get one version of a pipeline", description = "Role: viewer.")
    @APIResponse(responseCode = "200", description = "The version with its steps",
            content = @Content(schema = @Schema(implementation = PipelineApi.VersionView.class)))
    public Uni<PipelineApi.VersionView> version(@PathParam("id") UUID projectId, @PathParam("pipelineId") UUID pipelineId,
            @PathParam("n") String n) {
        return pipelines.version(call.tenant(), projectId, pipelineId, QueryParams.intInRange("n", n, 0, 1, Integer.MAX_VALUE));
    }

    @POST
    @Path("/{pipelineId}/versions/{n}/restore")
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "Restore a version", description = "Role: editor. Writes version N+1 with the steps of version "
            + "n and makes it current; earlier versions stay. 422 if a connector those steps use was deleted since.")
    @APIResponse(responseCode = "201", description = "The new current version",
            content = @Content(schema = @Schema(implementation = PipelineApi.VersionView.class)))
    @APIResponse(responseCode = "422", description = "The version refers to connectors that no longer exist, or a webhook "
            + "URL the egress policy now refuses")
    public Uni<RestResponse<PipelineApi.VersionView>> restore(@PathParam("id") UUID projectId,
            @PathParam("pipelineId") UUID pipelineId, @PathParam("n") String n) {
        return pipelines.restore(call.tenant(), caller.get(), projectId, pipelineId,
                QueryParams.intInRange("n", n, 0, 1, Integer.MAX_VALUE)).map(v -> RestResponse.ResponseBuilder
                .<PipelineApi.VersionView>created(URI.create("projects/" + projectId + "/pipelines/" + pipelineId
                        + "/versions/" + v.number())).entity(v).build());
    }

    @GET
    @Path("/{pipelineId}/schedule/next")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "The next fire times of the pipeline's schedule", description = "Role: viewer. In the "
            + "schedule's time zone (else the project's, else Pacific/Auckland), correct across DST. 404 without a schedule.")
    @APIResponse(responseCode = "200", description = "Fire times",
            content = @Content(schema = @Schema(implementation = PipelineApi.NextFires.class)))
    public Uni<PipelineApi.NextFires> nextFires(@PathParam("id") UUID projectId, @PathParam("pipelineId") UUID pipelineId,
            @Parameter(description = "How many, 1 to 100 (default 5).") @QueryParam("count") String count) {
        return pipelines.nextFires(call.tenant(), projectId, pipelineId, QueryParams.intInRange("count", count, 5, 1, 100));
    }
}
