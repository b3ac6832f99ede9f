package io.rimedata.identity.service;

import io.rimedata.identity.token.AccessTokens;
import io.rimedata.identity.token.Revocations;
import io.rimedata.platform.error.Unauthorized;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Login, refresh and logout (§2.1). */
@ApplicationScoped
public class AuthService {

    private static final String BAD_CREDENTIALS = "Invalid email or password.";
    private static final String BAD_REFRESH = "The refresh token is invalid, expired or revoked.";

    private final SessionService sessions;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final AccessTokens accessTokens;
    private final Revocations revocations;

    AuthService(SessionService sessions, PasswordHasher hasher, LoginThrottle throttle, AccessTokens accessTokens,
            Revocations revocations) {
        this.sessions = sessions;
        this.hasher = hasher;
        this.throttle = throttle;
        this.accessTokens = accessTokens;
        this.revocations = revocations;
    }

    public Uni<TokenPair> login(TenantRef tenant, String email, String password, String sourceIp, String userAgent) {
        return throttle.checkAllowed(tenant, email)
                .chain(() -> sessions.findCandidate(tenant, email))
                .chain(candidate -> hasher.matches(password, candidate == null ? null : candidate.passwordHash())
                        .chain(ok -> {
                            if (!ok) {
                                return throttle.recordFailure(tenant, email)
                                        .chain(() -> Uni.createFrom().failure(new Unauthorized(BAD_CREDENTIALS)));
                            }
                            return throttle.reset(tenant, email)
                                    .chain(() -> sessions.open(tenant, candidate.userId(), sourceIp, userAgent))
                                    .map(opened -> pair(tenant, candidate.userId(), candidate.role(), opened.sessionId(),
                                            opened.refreshToken()));
                        }));
    }

    /** Opens a session for a user already authenticated another way (an accepted invitation, later SSO). */
    public Uni<TokenPair> openSession(TenantRef tenant, UUID userId, io.rimedata.identity.Role role, String sourceIp,
            String userAgent) {
        return sessions.open(tenant, userId, sourceIp, userAgent)
                .map(opened -> pair(tenant, userId, role, opened.sessionId(), opened.refreshToken()));
    }

    public Uni<TokenPair> refresh(TenantRef tenant, String refreshToken) {
        return sessions.rotate(tenant, refreshToken).chain(rotation -> switch (rotation) {
            case SessionService.Rotation.Rotated r ->
                Uni.createFrom().item(pair(tenant, r.userId(), r.role(), r.sessionId(), r.refreshToken()));
            case SessionService.Rotation.Reused r -> revocations.revokeSession(r.sessionId())
                    .chain(() -> Uni.createFrom().failure(new Unauthorized(BAD_REFRESH)));
            case SessionService.Rotation.Invalid i -> Uni.createFrom().failure(new Unauthorized(BAD_REFRESH));
        });
    }

    /** Revokes the caller's session: its refresh chain in PostgreSQL and its access tokens in Redis. */
    public Uni<Void> logout(TenantRef tenant, UUID sessionId) {
        return sessions.revoke(tenant, sessionId, "logout").chain(() -> revocations.revokeSession(sessionId));
    }

    private TokenPair pair(TenantRef tenant, UUID userId, io.rimedata.identity.Role role, UUID sessionId, String refresh) {
        String access = accessTokens.issue(tenant.subdomain(), userId, role, sessionId);
        return new TokenPair(access, refresh, "Bearer", accessTokens.ttlSeconds());
    }
}
