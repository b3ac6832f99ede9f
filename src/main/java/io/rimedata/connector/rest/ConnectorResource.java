package io.rimedata.connector.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rimedata.connector.config.ConnectorTypes;
import io.rimedata.connector.rest.ConnectorApi.ConnectorInput;
import io.rimedata.connector.rest.ConnectorApi.ConnectorView;
import io.rimedata.connector.service.ConnectorService;
import io.rimedata.connector.service.SourceService;
import io.rimedata.connector.service.SyncService;
import io.rimedata.connector.run.RunApi;
import io.rimedata.connector.source.ConnectionTest;
import io.rimedata.connector.file.UploadStore;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import io.rimedata.identity.Role;
import io.rimedata.identity.service.CurrentCaller;
import io.rimedata.platform.error.BadRequest;
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

@Path("/projects/{id}/connectors")
@Tag(name = "Connectors")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectorResource {

    private static final java.util.List<String> RUN_STATUSES =
            java.util.List.of("running", "completed", "partially_failed", "failed", "skipped", "cancelled");

    private final ConnectorService connectors;
    private final SourceService sources;
    private final SyncService syncs;
    private final Pagination pagination;
    private final CallContext call;
    private final CurrentCaller caller;

    ConnectorResource(ConnectorService connectors, SourceService sources, SyncService syncs, Pagination pagination,
            CallContext call, CurrentCaller caller) {
        this.syncs = syncs;
        this.connectors = connectors;
        this.sources = sources;
        this.pagination = pagination;
        this.call = call;
        this.caller = caller;
    }

    @GET
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "List a project's connectors", description = "Role: viewer. Filters `type` and `status`; oldest first.")
    @APIResponse(responseCode = "200", description = "A page of connectors")
    public Uni<Page<ConnectorView>> list(@PathParam("id") UUID projectId, @QueryParam("type") String type,
            @QueryParam("status") String status, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        if (type != null && !ConnectorTypes.exists(type)) {
            throw BadRequest.field("type", "Must be one of the 16 connector types.");
        }
        if (status != null && !status.equals("active") && !status.equals("paused")) {
            throw BadRequest.field("status", "Must be active or paused.");
        }
        return connectors.list(call.tenant(), projectId, type, status, pagination.ascending("connectors:" + projectId,
                Pagination.filters("type", type, "status", status), limit, cursor));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "Create a connector", description = "Role: editor. `config` is validated per type (400 names "
            + "every bad field); secret fields are write-only and come back as `{\"set\": true}`. Counts against the "
            + "tier's `connectors_per_project` cap.")
    @APIResponse(responseCode = "201", description = "Created", headers = @Header(name = "ETag"),
            content = @Content(schema = @Schema(implementation = ConnectorView.class)))
    @APIResponse(responseCode = "409", description = "A connector with this name exists in the project")
    @APIResponse(responseCode = "422", description = "A host or URL of `config` is refused by the egress policy (a private, "
            + "loopback, link-local or metadata address, or the platform's own stores); `details` names the field and why")
    public Uni<RestResponse<ConnectorView>> create(@PathParam("id") UUID projectId, @Valid @NotNull ConnectorInput body) {
        return connectors.create(call.tenant(), caller.get(), projectId, body).map(created -> RestResponse.ResponseBuilder
                .<ConnectorView>created(URI.create("projects/" + projectId + "/connectors/" + created.value().id()))
                .entity(created.value()).header("ETag", created.etag()).build());
    }

    @GET
    @Path("/{connectorId}")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "Get a connector", description = "Role: viewer. Send `If-None-Match` to get 304 when unchanged.")
    @APIResponse(responseCode = "200", description = "The connector", headers = @Header(name = "ETag"),
            content = @Content(schema = @Schema(implementation = ConnectorView.class)))
    @APIResponse(responseCode = "304", description = "Not modified since the given ETag")
    public Uni<RestResponse<ConnectorView>> get(@PathParam("id") UUID projectId, @PathParam("connectorId") UUID connectorId,
            @HeaderParam("If-None-Match") String ifNoneMatch) {
        return connectors.get(call.tenant(), projectId, connectorId).map(tagged -> ETags.okOrNotModified(tagged, ifNoneMatch));
    }

    @PATCH
    @Path("/{connectorId}")
    @Consumes({ MediaType.APPLICATION_JSON, "application/merge-patch+json" })
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "Update a connector (JSON merge patch)", description = "Role: editor. The type cannot change. "
            + "A secret is replaced by a string and cleared by `null`. A change of destination (host, port, database, "
            + "service name, instance/base URL, shop domain, OAuth token URL) must re-supply or clear every stored "
            + "secret, which is never sent to a new destination. Honours `If-Match`.")
    @RequestBody(content = @Content(schema = @Schema(implementation = ConnectorInput.class)))
    @APIResponse(responseCode = "200", description = "Updated", headers = @Header(name = "ETag"),
            content = @Content(schema = @Schema(implementation = ConnectorView.class)))
    @APIResponse(responseCode = "409", description = "A connector with this name exists in the project")
    @APIResponse(responseCode = "412", description = "`If-Match` does not match the current ETag")
    @APIResponse(responseCode = "422", description = "A host or URL of `config` is refused by the egress policy, or the "
            + "destination changed without re-supplying the stored secrets; `details` names the fields and why")
    public Uni<RestResponse<ConnectorView>> update(@PathParam("id") UUID projectId,
            @PathParam("connectorId") UUID connectorId, @HeaderParam("If-Match") String ifMatch, JsonNode patch) {
        return connectors.update(call.tenant(), projectId, connectorId, patch, ifMatch)
                .map(updated -> RestResponse.ResponseBuilder.ok(updated.value()).header("ETag", updated.etag()).build());
    }

    @DELETE
    @Path("/{connectorId}")
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "Delete a connector", description = "Role: editor. Honours `If-Match`. (`force=true` will "
            + "cancel an active run once connector runs exist; no run can be active yet.)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "412", description = "`If-Match` does not match the current ETag")
    public Uni<RestResponse<Void>> delete(@PathParam("id") UUID projectId, @PathParam("connectorId") UUID connectorId,
            @HeaderParam("If-Match") String ifMatch,
            @Parameter(description = "Cancel an active run instead of answering 409.") @QueryParam("force") String force) {
        if (force != null && !force.equals("true") && !force.equals("false")) {
            throw BadRequest.field("force", "Must be true or false.");
        }
        return connectors.delete(call.tenant(), projectId, connectorId, ifMatch).map(v -> RestResponse.noContent());
    }

    @POST
    @Path("/{connectorId}/test")
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "Test the connection", description = "Role: editor. Checks reachability, authentication and "
            + "read permission, each with a message, within the configured timeout. PostgreSQL is reached by this "
            + "server; types that need an external runner report their checks as skipped.")
    @APIResponse(responseCode = "200", description = "The checks (a failed check is still a 200)",
            content = @Content(schema = @Schema(implementation = ConnectionTest.class)))
    public Uni<ConnectionTest> test(@PathParam("id") UUID projectId, @PathParam("connectorId") UUID connectorId) {
        return sources.test(call.tenant(), projectId, connectorId);
    }

    @GET
    @Path("/{connectorId}/schema")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "The discovered schema", description = "Role: viewer. 404 until a discovery has run.")
    @APIResponse(responseCode = "200", description = "Tables and columns",
            content = @Content(schema = @Schema(implementation = ConnectorApi.SchemaView.class)))
    public Uni<ConnectorApi.SchemaView> schema(@PathParam("id") UUID projectId, @PathParam("connectorId") UUID connectorId) {
        return sources.current(call.tenant(), projectId, connectorId);
    }

    @POST
    @Path("/{connectorId}/schema/refresh")
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "Discover the schema again", description = "Role: editor. Reads the source's tables, columns, "
            + "types and nullability now and keeps them as the connector's schema. 422 when the source cannot be reached "
            + "or refuses, and for types that need an external runner.")
    @APIResponse(responseCode = "200", description = "The new schema",
            content = @Content(schema = @Schema(implementation = ConnectorApi.SchemaView.class)))
    @APIResponse(responseCode = "422", description = "The source cannot be reached, refuses, needs a runner, or its host is "
            + "refused by the egress policy")
    public Uni<ConnectorApi.SchemaView> refreshSchema(@PathParam("id") UUID projectId,
            @PathParam("connectorId") UUID connectorId) {
        return sources.refresh(call.tenant(), projectId, connectorId);
    }

    @POST
    @Path("/{connectorId}/upload")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "Upload the file of a csv or json connector", description = "Role: editor. Multipart form "
            + "with one part named `file`; streamed to disk, at most `rime.connectors.upload-max-bytes` (413 beyond). "
            + "Replaces the previous file. 422 for other connector types.")
    @APIResponse(responseCode = "200", description = "Stored",
            content = @Content(schema = @Schema(implementation = UploadStore.Uploaded.class)))
    public Uni<UploadStore.Uploaded> upload(@PathParam("id") UUID projectId, @PathParam("connectorId") UUID connectorId,
            @RestForm("file") FileUpload file) {
        if (file == null || file.uploadedFile() == null) {
            throw BadRequest.field("file", "A multipart part named 'file' is required.");
        }
        return sources.upload(call.tenant(), projectId, connectorId, file.uploadedFile(), file.fileName(), file.size());
    }

    @POST
    @Path("/{connectorId}/sync")
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "Start a manual sync", description = "Role: editor. Answers at once with the running run; "
            + "follow it with GET …/runs/{runId}. One sync at a time per connector (409). Extraction runs on this "
            + "server for postgresql, rest_api, csv and json connectors; a postgresql connector needs `tables` selected (422).")
    @APIResponse(responseCode = "202", description = "Started",
            content = @Content(schema = @Schema(implementation = RunApi.RunView.class)))
    @APIResponse(responseCode = "409", description = "A sync is already running")
    public Uni<RestResponse<RunApi.RunView>> sync(@PathParam("id") UUID projectId, @PathParam("connectorId") UUID connectorId) {
        return syncs.start(call.tenant(), projectId, connectorId, "manual").map(run -> RestResponse.ResponseBuilder
                .<RunApi.RunView>accepted().entity(run)
                .location(URI.create("projects/" + projectId + "/connectors/" + connectorId + "/runs/" + run.id())).build());
    }

    @GET
    @Path("/{connectorId}/runs")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "Run history", description = "Role: viewer. Newest first; filters `status` and `trigger`.")
    @APIResponse(responseCode = "200", description = "A page of runs")
    public Uni<Page<RunApi.RunView>> runs(@PathParam("id") UUID projectId, @PathParam("connectorId") UUID connectorId,
            @QueryParam("status") String status, @QueryParam("trigger") String trigger, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        if (status != null && !RUN_STATUSES.contains(status)) {
            throw BadRequest.field("status", "Must be one of " + String.join(", ", RUN_STATUSES) + ".");
        }
        if (trigger != null && !java.util.Set.of("scheduled", "manual", "pipeline").contains(trigger)) {
            throw BadRequest.field("trigger", "Must be scheduled, manual or pipeline.");
        }
        return syncs.list(call.tenant(), projectId, connectorId, status, trigger, pagination.descending(
                "connector-runs:" + connectorId, Pagination.filters("status", status, "trigger", trigger), limit, cursor));
    }

    @GET
    @Path("/{connectorId}/runs/{runId}")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "One run with its per-table results", description = "Role: viewer.")
    @APIResponse(responseCode = "200", description = "The run",
            content = @Content(schema = @Schema(implementation = RunApi.RunView.class)))
    public Uni<RunApi.RunView> run(@PathParam("id") UUID projectId, @PathParam("connectorId") UUID connectorId,
            @PathParam("runId") UUID runId) {
        return syncs.get(call.tenant(), projectId, connectorId, runId);
    }

    @POST
    @Path("/{connectorId}/runs/{runId}/cancel")
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "Cancel a running sync", description = "Role: editor. The sync stops after its current batch "
            + "and ends `cancelled`. 409 when the run is not running.")
    @APIResponse(responseCode = "202", description = "Cancel requested",
            content = @Content(schema = @Schema(implementation = RunApi.RunView.class)))
    @APIResponse(responseCode = "409", description = "The run is not running")
    public Uni<RestResponse<RunApi.RunView>> cancel(@PathParam("id") UUID projectId,
            @PathParam("connectorId") UUID connectorId, @PathParam("runId") UUID runId) {
        return syncs.cancel(call.tenant(), projectId, connectorId, runId)
                .map(run -> RestResponse.ResponseBuilder.<RunApi.RunView>accepted().entity(run).build());
    }

    @GET
    @Path("/{connectorId}/schedule/next")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "The next fire times of the connector's schedule", description = "Role: viewer. In the "
            + "schedule's time zone (else the project's, else Pacific/Auckland), correct across DST. 404 without a schedule.")
    @APIResponse(responseCode = "200", description = "Fire times",
            content = @Content(schema = @Schema(implementation = ConnectorApi.NextFires.class)))
    public Uni<ConnectorApi.NextFires> nextFires(@PathParam("id") UUID projectId, @PathParam("connectorId") UUID connectorId,
            @Parameter(description = "How many, 1 to 100 (default 5).") @QueryParam("count") String count) {
        return connectors.nextFires(call.tenant(), projectId, connectorId, QueryParams.intInRange("count", count, 5, 1, 100));
    }
}
