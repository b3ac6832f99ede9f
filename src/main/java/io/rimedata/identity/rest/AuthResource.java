package io.rimedata.identity.rest;

import io.rimedata.identity.Role;
import io.rimedata.identity.service.AuthService;
import io.rimedata.identity.service.CurrentCaller;
import io.rimedata.identity.service.TokenPair;
import io.rimedata.identity.token.Jwks;
import io.rimedata.platform.request.CallContext;
import io.rimedata.platform.idempotency.IssuesCredentials;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/auth")
@Tag(name = "Authentication")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    private final AuthService auth;
    private final CallContext call;
    private final CurrentCaller caller;
    private final Jwks jwks;

    AuthResource(AuthService auth, CallContext call, CurrentCaller caller, Jwks jwks) {
        this.auth = auth;
        this.call = call;
        this.caller = caller;
        this.jwks = jwks;
    }

    @IssuesCredentials
    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermitAll
    @Operation(summary = "Log in with email and password",
            description = "Returns an access token (JWT, 1 h) and a single-use refresh token. Wrong credentials get one "
                    + "generic 401. Attempts are limited per client IP and per account (429).")
    @APIResponse(responseCode = "200", description = "Logged in",
            content = @Content(schema = @Schema(implementation = TokenPair.class)))
    public Uni<TokenPair> login(@Valid @NotNull AuthApi.Login body, @HeaderParam(HttpHeaders.USER_AGENT) String userAgent) {
        return auth.login(call.tenant(), body.email(), body.password(), call.sourceIp(), userAgent);
    }

    @IssuesCredentials
    @POST
    @Path("/refresh")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermitAll
    @Operation(summary = "Exchange a refresh token for a new token pair",
            description = "Refresh tokens rotate and are single use; presenting a spent one revokes its whole session.")
    @APIResponse(responseCode = "200", description = "New token pair",
            content = @Content(schema = @Schema(implementation = TokenPair.class)))
    public Uni<TokenPair> refresh(@Valid @NotNull AuthApi.Refresh body) {
        return auth.refresh(call.tenant(), body.refreshToken());
    }

    @POST
    @Path("/logout")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "Log out", description = "Revokes the current session: its refresh token and its access tokens.")
    @APIResponse(responseCode = "204", description = "Logged out")
    public Uni<RestResponse<Void>> logout() {
        return auth.logout(call.tenant(), caller.get().sessionId()).map(v -> RestResponse.noContent());
    }

    @GET
    @Path("/jwks")
    @PermitAll
    @Operation(summary = "Public keys that verify this tenant's access tokens (JWKS)")
    @APIResponse(responseCode = "200", description = "JSON Web Key Set",
            content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    public String jwks() {
        return jwks.json();
    }
}
