package io.rimedata.execution.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.rimedata.execution.RunnerPrincipal;
import io.rimedata.execution.service.RunnerJobs;
import io.rimedata.platform.request.CallContext;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** The runner's side (§7.4): lease a job, keep its lease, complete or fail it. Runner tokens only. */
@Path("/runner/jobs")
@Tag(name = "Runners")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(RunnerPrincipal.ROLE)
public class RunnerJobResource {

    private final RunnerJobs jobs;
    private final CallContext call;
    private final SecurityIdentity identity;

    RunnerJobResource(RunnerJobs jobs, CallContext call, SecurityIdentity identity) {
        this.jobs = jobs;
        this.call = call;
        this.identity = identity;
    }

    @POST
    @Path("/lease")
    @Operation(summary = "Lease the next job", description = "Runner token. 200 with the job (its payload carries the "
            + "credentials it needs) leased for `rime.runners.lease-duration`, or 204 when there is none.")
    @APIResponse(responseCode = "200", description = "Leased",
            content = @Content(schema = @Schema(implementation = RunnerApi.LeasedJob.class)))
    @APIResponse(responseCode = "204", description = "No job is waiting")
    public Uni<RestResponse<RunnerApi.LeasedJob>> lease() {
        return jobs.lease(call.tenant(), runner()).map(job -> job == null ? RestResponse.noContent() : RestResponse.ok(job));
    }

    @POST
    @Path("/{jobId}/heartbeat")
    @Operation(summary = "Keep a lease", description = "Runner token. 404 once the lease was lost.")
    @APIResponse(responseCode = "200", description = "Lease extended",
            content = @Content(schema = @Schema(implementation = RunnerApi.Lease.class)))
    public Uni<RunnerApi.Lease> heartbeat(@PathParam("jobId") UUID jobId) {
        return jobs.heartbeat(call.tenant(), runner(), jobId);
    }

    @POST
    @Path("/{jobId}/complete")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Complete a job", description = "Runner token. For `connector_sync`, `result` is "
            + "`{tables: [{name, status: completed|failed, rows_extracted, error?}]}`.")
    @APIResponse(responseCode = "204", description = "Completed")
    public Uni<RestResponse<Void>> complete(@PathParam("jobId") UUID jobId, @Valid @NotNull RunnerApi.Completion body) {
        return jobs.complete(call.tenant(), runner(), jobId, body.result()).map(v -> RestResponse.noContent());
    }

    @POST
    @Path("/{jobId}/fail")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Fail a job", description = "Runner token.")
    @APIResponse(responseCode = "204", description = "Failed")
    public Uni<RestResponse<Void>> fail(@PathParam("jobId") UUID jobId, @Valid @NotNull RunnerApi.Failure body) {
        return jobs.fail(call.tenant(), runner(), jobId, body.error()).map(v -> RestResponse.noContent());
    }

    private RunnerPrincipal runner() {
        return (RunnerPrincipal) identity.getPrincipal();
    }
}
