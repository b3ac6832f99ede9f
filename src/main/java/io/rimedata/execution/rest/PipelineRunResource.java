package io.rimedata.execution.rest;

import io.rimedata.execution.rest.PipelineRunApi.RunView;
import io.rimedata.execution.service.PipelineRunService;
import io.rimedata.identity.Role;
import io.rimedata.platform.http.QueryParams;
import io.rimedata.platform.pagination.Page;
import io.rimedata.platform.pagination.Pagination;
import io.rimedata.platform.request.CallContext;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/projects/{id}/pipelines/{pipelineId}/runs")
@Tag(name = "Pipeline runs")
@Produces(MediaType.APPLICATION_JSON)
public class PipelineRunResource {

    private static final List<String> STATUSES = List.of("queued", "running", "succeeded", "failed", "cancelled", "skipped");
    private static final List<String> TRIGGERS = List.of("scheduled", "manual", "retry");

    private final PipelineRunService runs;
    private final Pagination pagination;
    private final CallContext call;

    PipelineRunResource(PipelineRunService runs, Pagination pagination, CallContext call) {
        this.runs = runs;
        this.pagination = pagination;
        this.call = call;
    }

    @POST
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "Run a pipeline now", description = "Role: editor. Starts a run of the current version at "
            + "once: its root steps start immediately. Manual runs start even while another run is active (the "
            + "schedule's concurrency_policy governs scheduled fires only).")
    @APIResponse(responseCode = "202", description = "The run, already running",
            content = @Content(schema = @Schema(implementation = RunView.class)))
    public Uni<RestResponse<RunView>> start(@PathParam("id") UUID projectId, @PathParam("pipelineId") UUID pipelineId) {
        return runs.start(call.tenant(), projectId, pipelineId).map(run -> accepted(projectId, pipelineId, run));
    }

    @GET
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "List a pipeline's runs", description = "Role: viewer. Newest first; filters `status` and `trigger`.")
    @APIResponse(responseCode = "200", description = "A page of runs")
    public Uni<Page<RunView>> list(@PathParam("id") UUID projectId, @PathParam("pipelineId") UUID pipelineId,
            @QueryParam("status") String status, @QueryParam("trigger") String trigger, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        QueryParams.oneOf("status", status, STATUSES);
        QueryParams.oneOf("trigger", trigger, TRIGGERS);
        return runs.list(call.tenant(), projectId, pipelineId, status, trigger, pagination.descending(
                "pipeline-runs:" + pipelineId, Pagination.filters("status", status, "trigger", trigger), limit, cursor));
    }

    @GET
    @Path("/{runId}")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "Get a run with every step's state", description = "Role: viewer. `last_seq` is the position "
            + "of the run's latest event, from which a watcher can resume.")
    @APIResponse(responseCode = "200", description = "The run", content = @Content(schema = @Schema(implementation = RunView.class)))
    public Uni<RunView> get(@PathParam("id") UUID projectId, @PathParam("pipelineId") UUID pipelineId,
            @PathParam("runId") UUID runId) {
        return runs.get(call.tenant(), projectId, pipelineId, runId);
    }

    @POST
    @Path("/{runId}/cancel")
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "Cancel a run", description = "Role: editor. Running steps are told to stop and end "
            + "`cancelled`, pending ones `skipped`, the run `cancelled`. 409 when the run is not queued or running.")
    @APIResponse(responseCode = "200", description = "The cancelled run",
            content = @Content(schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "409", description = "The run has already ended")
    public Uni<RunView> cancel(@PathParam("id") UUID projectId, @PathParam("pipelineId") UUID pipelineId,
            @PathParam("runId") UUID runId) {
        return runs.cancel(call.tenant(), projectId, pipelineId, runId);
    }

    @POST
    @Path("/{runId}/retry")
    @RolesAllowed(Role.EDITOR_NAME)
    @Operation(summary = "Retry a run", description = "Role: editor. A new run (trigger `retry`, `retry_of` this run) of "
            + "the same version that reuses this run's succeeded steps and runs the rest. 409 while this run is "
            + "active; 422 unless it failed or was cancelled.")
    @APIResponse(responseCode = "202", description = "The new run",
            content = @Content(schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "409", description = "The run is still active")
    @APIResponse(responseCode = "422", description = "The run succeeded or was skipped: nothing to retry")
    public Uni<RestResponse<RunView>> retry(@PathParam("id") UUID projectId, @PathParam("pipelineId") UUID pipelineId,
            @PathParam("runId") UUID runId) {
        return runs.retry(call.tenant(), projectId, pipelineId, runId).map(run -> accepted(projectId, pipelineId, run));
    }

    @GET
    @Path("/{runId}/events")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "A run's events", description = "Role: viewer. The events the WebSocket sends, each with a "
            + "`seq` that increases by exactly one. Newest first by default; with `since_seq=N`, the events after N "
            + "oldest first — what a polling client wants.")
    @APIResponse(responseCode = "200", description = "A page of events",
            content = @Content(schema = @Schema(implementation = PipelineRunApi.EventPage.class)))
    public Uni<PipelineRunApi.EventPage> events(@PathParam("id") UUID projectId, @PathParam("pipelineId") UUID pipelineId,
            @PathParam("runId") UUID runId,
            @Parameter(description = "Only events after this position, oldest first.") @QueryParam("since_seq") String sinceSeq,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Long since = sinceSeq == null ? null : (long) QueryParams.intInRange("since_seq", sinceSeq, 0, 0, Integer.MAX_VALUE);
        return runs.events(call.tenant(), projectId, pipelineId, runId, since, pagination.numbered("run-events:" + runId,
                Pagination.filters("since_seq", sinceSeq), limit, cursor));
    }

    @GET
    @Path("/{runId}/steps/{key}/logs")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "A step's log lines", description = "Role: viewer. Oldest first from the cursor; `next_cursor` "
            + "is always given so a client can fetch what is written later, and `complete` says the step has ended "
            + "and nothing more will come.")
    @APIResponse(responseCode = "200", description = "Log lines",
            content = @Content(schema = @Schema(implementation = PipelineRunApi.LogPage.class)))
    public Uni<PipelineRunApi.LogPage> logs(@PathParam("id") UUID projectId, @PathParam("pipelineId") UUID pipelineId,
            @PathParam("runId") UUID runId, @PathParam("key") String key, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        return runs.logs(call.tenant(), projectId, pipelineId, runId, key,
                pagination.numbered("step-logs:" + runId + ":" + key, Pagination.filters(), limit, cursor));
    }

    private static RestResponse<RunView> accepted(UUID projectId, UUID pipelineId, RunView run) {
        return RestResponse.ResponseBuilder.<RunView>accepted().entity(run)
                .location(URI.create("projects/" + projectId + "/pipelines/" + pipelineId + "/runs/" + run.id())).build();
    }
}
