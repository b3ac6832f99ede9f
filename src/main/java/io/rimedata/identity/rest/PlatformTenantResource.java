package io.rimedata.identity.rest;

import io.rimedata.identity.service.TenantProvisioning;
import io.rimedata.platform.pagination.Page;
import io.rimedata.platform.pagination.Pagination;
import io.rimedata.platform.idempotency.IssuesCredentials;
import io.smallrye.mutiny.Uni;
import io.rimedata.platform.request.CallContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
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

/**
 * Operator routes, served only on the bare base-domain host and only when an operator token is configured, to the
 * operator's own credential ({@code OperatorAuthenticationMechanism}) and role.
 */
@Path("/platform/tenants")
@Tag(name = "Platform")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(CallContext.OPERATOR_ROLE)
public class PlatformTenantResource {

    private final TenantProvisioning provisioning;
    private final Pagination pagination;

    PlatformTenantResource(TenantProvisioning provisioning, Pagination pagination) {
        this.provisioning = provisioning;
        this.pagination = pagination;
    }

    @IssuesCredentials
    @POST
    @Operation(summary = "Create a tenant with its first admin",
            description = "Operator only (Bearer operator token, on the bare base-domain host). Without an admin "
                    + "password the response carries a one-time invitation token instead.")
    @APIResponse(responseCode = "201", description = "Tenant created",
            content = @Content(schema = @Schema(implementation = PlatformApi.ProvisionedTenant.class)))
    @APIResponse(responseCode = "409", description = "The subdomain is taken")
    public Uni<RestResponse<PlatformApi.ProvisionedTenant>> create(@Valid @NotNull PlatformApi.CreateTenant body) {
        return provisioning.provision(body).map(created -> RestResponse.ResponseBuilder
                .<PlatformApi.ProvisionedTenant>created(URI.create("platform/tenants/" + created.tenant().id()))
                .entity(created).build());
    }

    @GET
    @Operation(summary = "List tenants", description = "Oldest first, cursor-paginated.")
    @APIResponse(responseCode = "200", description = "A page of tenants")
    public Uni<Page<PlatformApi.TenantView>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return provisioning.list(pagination.ascending("platform.tenants", Pagination.filters(), limit, cursor));
    }

    @GET
    @Path("/{tenantId}")
    @Operation(summary = "Get a tenant")
    @APIResponse(responseCode = "200", description = "The tenant")
    public Uni<PlatformApi.TenantView> get(@PathParam("tenantId") UUID tenantId) {
        return provisioning.get(tenantId);
    }
}
