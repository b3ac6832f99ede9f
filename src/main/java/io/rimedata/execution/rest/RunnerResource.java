package io.rimedata.execution.rest;

import io.rimedata.execution.service.RunnerService;
import io.rimedata.identity.Role;
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

/** Admins register the external runners of their tenant. */
@Path("/runners")
@Tag(name = "Runners")
@Produces(MediaType.APPLICATION_JSON)
public class RunnerResource {

    private final RunnerService runners;
    private final Pagination pagination;
    private final CallContext call;
    private final CurrentCaller caller;

    RunnerResource(RunnerService runners, Pagination pagination, CallContext call, CurrentCaller caller) {
        this.runners = runners;
        this.pagination = pagination;
        this.call = call;
        this.caller = caller;
    }

    @IssuesCredentials
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Register a runner", description = "Role: admin. The token (`rnr_…`) is in this response only; "
            + "the runner sends it as `Authorization: Bearer` to the /runner/jobs routes.")
    @APIResponse(responseCode = "201", description = "Registered",
            content = @Content(schema = @Schema(implementation = RunnerApi.RunnerView.class)))
    public Uni<RestResponse<RunnerApi.RunnerView>> register(@Valid @NotNull RunnerApi.CreateRunner body) {
        return runners.register(call.tenant(), caller.get(), body).map(created -> RestResponse.ResponseBuilder
                .<RunnerApi.RunnerView>created(URI.create("runners/" + created.id())).entity(created).build());
    }

    @GET
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "List runners", description = "Role: admin. Never shows tokens.")
    @APIResponse(responseCode = "200", description = "A page of runners")
    public Uni<Page<RunnerApi.RunnerView>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return runners.list(call.tenant(), pagination.ascending("runners", Pagination.filters(), limit, cursor));
    }

    @DELETE
    @Path("/{runnerId}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Remove a runner", description = "Role: admin. Its token stops working at once.")
    @APIResponse(responseCode = "204", description = "Removed")
    public Uni<RestResponse<Void>> delete(@PathParam("runnerId") UUID runnerId) {
        return runners.delete(call.tenant(), runnerId).map(v -> RestResponse.noContent());
    }
}
