package io.rimedata.identity.service;

import io.rimedata.audit.service.AuditActions;
import io.rimedata.audit.service.AuditChanges;
import io.rimedata.audit.service.AuditEntry;
import io.rimedata.audit.service.AuditEntry.Actor;
import io.rimedata.audit.service.AuditLog;
import io.rimedata.identity.token.AccessTokens;
import io.rimedata.identity.token.Revocations;
import io.rimedata.platform.error.Unauthorized;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Login, refresh and logout (§2.1). */
@ApplicationScoped
public class AuthService {

    private static final String BAD_CREDENTIALS = "Invalid email or password.";
    private static final String BAD_REFRESH = "The refresh token is invalid, expired or revoked.";
    private static final AuditEntry.Category AUTH = AuditEntry.Category.AUTH;
    private static final String SESSION = "session";
    private static final String REUSE = "refresh_token_reuse";

    private final SessionService sessions;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final AccessTokens accessTokens;
    private final Revocations revocations;
    private final AuditLog audit;

    AuthService(SessionService sessions, PasswordHasher hasher, LoginThrottle throttle, AccessTokens accessTokens,
            Revocations revocations, AuditLog audit) {
        this.sessions = sessions;
        this.hasher = hasher;
        this.throttle = throttle;
        this.accessTokens = accessTokens;
        this.revocations = revocations;
        this.audit = audit;
    }

    public Uni<TokenPair> login(TenantRef tenant, String email, String password, String sourceIp, String userAgent) {
        LoginThrottle.Subject attempt = LoginThrottle.Subject.login(tenant, email, sourceIp);
        return throttle.acquire(attempt)
                .chain(() -> sessions.findCandidate(tenant, email))
                .chain(candidate -> hasher.matches(password, candidate == null ? null : candidate.passwordHash())
                        .chain(ok -> {
                            if (!ok) {
                                return audit.recordAlone(tenant, loginFailed(candidate, email))
                                        .chain(() -> Uni.createFrom().failure(new Unauthorized(BAD_CREDENTIALS)));
                            }
                            return throttle.succeeded(attempt)
                                    .chain(() -> sessions.open(tenant, candidate.userId(), sourceIp, userAgent))
                                    .call(opened -> audit.recordAlone(tenant,
                                            loginSucceeded(candidate, email, opened.sessionId())))
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
        // a reused token's session is revoked in the same transaction as its audit entry
        return DatabaseScope.transaction(tenant, () -> sessions.rotate(tenant, refreshToken)
                .call(rotation -> rotation instanceof SessionService.Rotation.Reused reused
                        ? audit.record(tenant, sessionRevoked(reused.sessionId()))
                        : Uni.createFrom().voidItem()))
                .chain(rotation -> switch (rotation) {
            case SessionService.Rotation.Rotated r ->
                Uni.createFrom().item(pair(tenant, r.userId(), r.role(), r.sessionId(), r.refreshToken()));
            case SessionService.Rotation.Reused r -> revocations.revokeSession(r.sessionId())
                    .chain(() -> Uni.createFrom().failure(new Unauthorized(BAD_REFRESH)));
            case SessionService.Rotation.Invalid i -> Uni.createFrom().failure(new Unauthorized(BAD_REFRESH));
        });
    }

    /** Revokes the caller's session: its refresh chain in PostgreSQL and its access tokens in Redis. */
    public Uni<Void> logout(TenantRef tenant, UUID sessionId) {
        return DatabaseScope.transaction(tenant, () -> sessions.revoke(tenant, sessionId, "logout")
                .call(revoked -> revoked
                        ? audit.record(tenant, AuditEntry.of(AUTH, AuditActions.LOGOUT).withResource(SESSION, sessionId, null))
                        : Uni.createFrom().voidItem()))
                .chain(() -> revocations.revokeSession(sessionId));
    }

    private static AuditEntry loginSucceeded(SessionService.Candidate candidate, String email, UUID sessionId) {
        return AuditEntry.of(AUTH, AuditActions.LOGIN_SUCCEEDED)
                .withActor(Actor.user(candidate.userId(), normalised(email)))
                .withResource(SESSION, sessionId, null);
    }

    /** The address of an unknown account is not kept: people type their password into the email field. */
    private static AuditEntry loginFailed(SessionService.Candidate candidate, String email) {
        AuditEntry entry = AuditEntry.of(AUTH, AuditActions.LOGIN_FAILED).failed();
        if (candidate == null) {
            return entry.withActor(Actor.user(null, null));
        }
        return entry.withActor(Actor.user(candidate.userId(), normalised(email)))
                .withResource("user", candidate.userId(), normalised(email));
    }

    /** By the system: whoever presented the spent token is not known. */
    private static AuditEntry sessionRevoked(UUID sessionId) {
        return AuditEntry.of(AUTH, AuditActions.SESSION_REVOKED)
                .withActor(Actor.system())
                .withResource(SESSION, sessionId, null)
                .withChanges(AuditChanges.between(Map.of(), Map.of("revoked_reason", REUSE), Set.of()));
    }

    private static String normalised(String email) {
        return email.toLowerCase(Locale.ROOT);
    }

    private TokenPair pair(TenantRef tenant, UUID userId, io.rimedata.identity.Role role, UUID sessionId, String refresh) {
        String access = accessTokens.issue(tenant.subdomain(), userId, role, sessionId);
        return new TokenPair(access, refresh, "Bearer", accessTokens.ttlSeconds());
    }
}
