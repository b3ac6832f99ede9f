package io.rimedata.identity.rest;

import io.rimedata.identity.Role;
import io.rimedata.identity.service.CurrentCaller;
import io.rimedata.identity.service.UserService;
import io.rimedata.platform.error.BadRequest;
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
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/users")
@Tag(name = "Users")
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {

    private static final Set<String> STATUSES = Set.of("active", "invited", "deactivated");

    private final UserService users;
    private final Pagination pagination;
    private final CallContext call;
    private final CurrentCaller caller;

    UserResource(UserService users, Pagination pagination, CallContext call, CurrentCaller caller) {
        this.users = users;
        this.pagination = pagination;
        this.call = call;
        this.caller = caller;
    }

    @GET
    @Path("/me")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "Your own profile", description = "Any role.")
    @APIResponse(responseCode = "200", description = "Your user", content = @Content(schema = @Schema(implementation = UserApi.UserView.class)))
    public Uni<UserApi.UserView> me() {
        return users.get(call.tenant(), caller.get().userId());
    }

    @PATCH
    @Path("/me")
    @Consumes({ MediaType.APPLICATION_JSON, "application/merge-patch+json" })
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "Update your own profile", description = "Any role. Names only; email and role are the admin's.")
    @APIResponse(responseCode = "200", description = "Updated", content = @Content(schema = @Schema(implementation = UserApi.UserView.class)))
    public Uni<UserApi.UserView> updateMe(@Valid @NotNull UserApi.UpdateMe body) {
        return users.updateMe(call.tenant(), caller.get(), body);
    }

    @POST
    @Path("/me/password")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "Change your password", description = "Any role. Revokes every other session of yours.")
    @APIResponse(responseCode = "204", description = "Changed")
    @APIResponse(responseCode = "422", description = "The current password is incorrect")
    @APIResponse(responseCode = "429", description = "Too many wrong current passwords from this address (or in all) "
            + "for this account within the window")
    public Uni<RestResponse<Void>> changePassword(@Valid @NotNull UserApi.ChangePassword body) {
        return users.changePassword(call.tenant(), caller.get(), body, call.sourceIp()).map(v -> RestResponse.noContent());
    }

    @GET
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "List users", description = "Role: admin. Filters `role` and `status`; oldest first.")
    @APIResponse(responseCode = "200", description = "A page of users")
    public Uni<Page<UserApi.UserView>> list(@QueryParam("role") String role, @QueryParam("status") String status,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        if (role != null && Role.parse(role).isEmpty()) {
            throw BadRequest.field("role", "Must be one of admin, governance_admin, editor, viewer.");
        }
        if (status != null && !STATUSES.contains(status)) {
            throw BadRequest.field("status", "Must be one of active, invited, deactivated.");
        }
        return users.list(call.tenant(), role, status,
                pagination.ascending("users", Pagination.filters("role", role, "status", status), limit, cursor));
    }

    @IssuesCredentials
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Invite a user", description = "Role: admin. Creates the user as `invited` and returns a "
            + "one-time invitation token (valid 7 days) for POST /auth/invitations/accept. Counts against the tier's "
            + "`users` cap (403 naming the limit).")
    @APIResponse(responseCode = "201", description = "Invited", content = @Content(schema = @Schema(implementation = UserApi.Invited.class)))
    @APIResponse(responseCode = "409", description = "A user with this email exists")
    public Uni<RestResponse<UserApi.Invited>> invite(@Valid @NotNull UserApi.Invite body) {
        return users.invite(call.tenant(), body).map(invited -> RestResponse.ResponseBuilder
                .<UserApi.Invited>created(URI.create("users/" + invited.user().id())).entity(invited).build());
    }

    @GET
    @Path("/{userId}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Get a user", description = "Role: admin.")
    @APIResponse(responseCode = "200", description = "The user", content = @Content(schema = @Schema(implementation = UserApi.UserView.class)))
    public Uni<UserApi.UserView> get(@PathParam("userId") UUID userId) {
        return users.get(call.tenant(), userId);
    }

    @PATCH
    @Path("/{userId}")
    @Consumes({ MediaType.APPLICATION_JSON, "application/merge-patch+json" })
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Change a user's role or status", description = "Role: admin. `status` is `active` or "
            + "`deactivated`; deactivation and role changes end the user's sessions. The last active admin cannot be "
            + "demoted or deactivated (409).")
    @APIResponse(responseCode = "200", description = "Updated", content = @Content(schema = @Schema(implementation = UserApi.UserView.class)))
    @APIResponse(responseCode = "409", description = "This is the last active admin")
    @APIResponse(responseCode = "422", description = "An invited user cannot be activated directly")
    public Uni<UserApi.UserView> update(@PathParam("userId") UUID userId, @Valid @NotNull UserApi.UpdateUser body) {
        return users.update(call.tenant(), userId, body);
    }

    @DELETE
    @Path("/{userId}")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "Remove a user", description = "Role: admin. Ends the user's sessions. The last active admin "
            + "cannot be removed (409).")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "409", description = "This is the last active admin")
    public Uni<RestResponse<Void>> delete(@PathParam("userId") UUID userId) {
        return users.delete(call.tenant(), userId).map(v -> RestResponse.noContent());
    }

    @POST
    @Path("/{userId}/sessions/revoke")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "End every session of a user", description = "Role: admin. Their tokens stop working at once.")
    @APIResponse(responseCode = "204", description = "Revoked")
    public Uni<RestResponse<Void>> revokeSessions(@PathParam("userId") UUID userId) {
        return users.revokeSessions(call.tenant(), userId).map(v -> RestResponse.noContent());
    }
}
