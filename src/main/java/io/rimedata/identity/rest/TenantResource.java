package io.rimedata.identity.rest;

import io.rimedata.identity.Role;
import io.rimedata.identity.service.TenantService;
import io.rimedata.platform.request.CallContext;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/tenant")
@Tag(name = "Tenant")
@Produces(MediaType.APPLICATION_JSON)
public class TenantResource {

    private final TenantService tenants;
    private final CallContext call;

    TenantResource(TenantService tenants, CallContext call) {
        this.tenants = tenants;
        this.call = call;
    }

    @GET
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "Your tenant, its usage and its tier's limits", description = "Any role.")
    @APIResponse(responseCode = "200", description = "The tenant", content = @Content(schema = @Schema(implementation = TenantApi.TenantView.class)))
    public Uni<TenantApi.TenantView> get() {
        return tenants.get(call.tenant());
    }

    @PATCH
    @Consumes({ MediaType.APPLICATION_JSON, "application/merge-patch+json" })
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Rename the tenant or change its default time zone", description = "Role: admin. The tier is "
            + "changed by the platform operator only.")
    @APIResponse(responseCode = "200", description = "Updated", content = @Content(schema = @Schema(implementation = TenantApi.TenantView.class)))
    public Uni<TenantApi.TenantView> update(@Valid @NotNull TenantApi.UpdateTenant body) {
        return tenants.update(call.tenant(), body);
    }
}
