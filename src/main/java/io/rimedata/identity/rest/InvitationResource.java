package io.rimedata.identity.rest;

import io.rimedata.identity.service.TokenPair;
import io.rimedata.identity.service.UserService;
import io.rimedata.platform.request.CallContext;
import io.rimedata.platform.idempotency.IssuesCredentials;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/auth/invitations")
@Tag(name = "Authentication")
@Produces(MediaType.APPLICATION_JSON)
public class InvitationResource {

    private final UserService users;
    private final CallContext call;

    InvitationResource(UserService users, CallContext call) {
        this.users = users;
        this.call = call;
    }

    @IssuesCredentials
    @POST
    @Path("/accept")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Accept an invitation", description = "Public. Sets the password and names, activates the "
            + "user and logs them in. Tokens are single use and expire after 7 days (401 afterwards).")
    @APIResponse(responseCode = "200", description = "Activated and logged in",
            content = @Content(schema = @Schema(implementation = TokenPair.class)))
    public Uni<TokenPair> accept(@Valid @NotNull UserApi.AcceptInvitation body,
            @HeaderParam(HttpHeaders.USER_AGENT) String userAgent) {
        return users.acceptInvitation(call.tenant(), body, call.sourceIp(), userAgent);
    }
}
