package io.rimedata.identity.rest;

import io.rimedata.identity.Role;
import io.rimedata.identity.service.CurrentCaller;
import io.rimedata.identity.service.SessionService;
import io.rimedata.identity.token.Revocations;
import io.rimedata.platform.pagination.Page;
import io.rimedata.platform.pagination.Pagination;
import io.rimedata.platform.request.CallContext;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** The caller's own sessions (§2.1). */
@Path("/auth/sessions")
@Tag(name = "Authentication")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private final SessionService sessions;
    private final Revocations revocations;
    private final Pagination pagination;
    private final CallContext call;
    private final CurrentCaller caller;

    SessionResource(SessionService sessions, Revocations revocations, Pagination pagination, CallContext call,
            CurrentCaller caller) {
        this.sessions = sessions;
        this.revocations = revocations;
        this.pagination = pagination;
        this.call = call;
        this.caller = caller;
    }

    @GET
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "List your live sessions", description = "Any role; `current` marks the one of this token.")
    @APIResponse(responseCode = "200", description = "A page of sessions")
    public Uni<Page<UserApi.SessionView>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return sessions.listOwn(call.tenant(), caller.get(),
                pagination.ascending("auth.sessions", Pagination.filters(), limit, cursor));
    }

    @DELETE
    @Path("/{sessionId}")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "Revoke one of your sessions", description = "Any role; another user's session is 404.")
    @APIResponse(responseCode = "204", description = "Revoked")
    public Uni<RestResponse<Void>> revoke(@PathParam("sessionId") UUID sessionId) {
        return sessions.revokeOwn(call.tenant(), caller.get(), sessionId)
                .chain(() -> revocations.revokeSession(sessionId))
                .map(v -> RestResponse.noContent());
    }
}
