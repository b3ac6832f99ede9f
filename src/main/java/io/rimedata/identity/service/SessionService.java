package io.rimedata.identity.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.rimedata.identity.AuthSession;
import io.rimedata.identity.IdentityConfig;
import io.rimedata.identity.RefreshToken;
import io.rimedata.identity.Role;
import io.rimedata.identity.repository.AuthSessionRepository;
import io.rimedata.identity.repository.RefreshTokenRepository;
import io.rimedata.identity.repository.UserRepository;
import io.rimedata.identity.token.OpaqueTokens;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.List;
import java.util.ArrayList;
import io.rimedata.identity.Caller;
import io.rimedata.identity.rest.UserApi;
import io.rimedata.platform.error.NotFound;
import io.rimedata.platform.pagination.Page;
import io.rimedata.platform.pagination.PageRequest;

/** Sessions and their refresh-token chains: the transactional half of authentication. */
@ApplicationScoped
public class SessionService {

    static final String REFRESH_PREFIX = "rrt_";

    /** A login candidate: the active user with that email, if any. */
    public record Candidate(UUID userId, Role role, String passwordHash) {
    }

    /** What presenting a refresh token led to. */
    public sealed interface Rotation {
        record Rotated(UUID sessionId, UUID userId, Role role, String refreshToken) implements Rotation {
        }

        /** A spent token came back: the whole session is revoked (theft detection). */
        record Reused(UUID sessionId) implements Rotation {
        }

        record Invalid() implements Rotation {
        }
    }

    public record Opened(UUID sessionId, String refreshToken) {
    }

    private final UserRepository users;
    private final AuthSessionRepository sessions;
    private final RefreshTokenRepository refreshTokens;
    private final Duration sessionLifetime;

    SessionService(UserRepository users, AuthSessionRepository sessions, RefreshTokenRepository refreshTokens,
            IdentityConfig config) {
        this.users = users;
        this.sessions = sessions;
        this.refreshTokens = refreshTokens;
        this.sessionLifetime = config.sessionLifetime();
    }

    @WithSession
    public Uni<Candidate> findCandidate(TenantRef tenant, String email) {
        return users.findByEmail(tenant, email).map(user -> user == null || !"active".equals(user.status)
                ? null : new Candidate(user.id, Role.parse(user.role).orElse(Role.VIEWER), user.passwordHash));
    }

    @WithTransaction
    public Uni<Opened> open(TenantRef tenant, UUID userId, String sourceIp, String userAgent) {
        Instant now = now();
        AuthSession session = new AuthSession();
        session.userId = userId;
        session.expiresAt = now.plus(sessionLifetime);
        session.lastUsedAt = now;
        session.sourceIp = sourceIp;
        session.userAgent = userAgent == null ? null : userAgent.substring(0, Math.min(400, userAgent.length()));
        return sessions.persist(tenant, session)
                .chain(saved -> newRefreshToken(tenant, saved.id).map(token -> new Opened(saved.id, token)));
    }

    @WithTransaction
    public Uni<Rotation> rotate(TenantRef tenant, String presented) {
        if (presented == null || !presented.startsWith(REFRESH_PREFIX)) {
            return Uni.createFrom().item(new Rotation.Invalid());
        }
        Instant now = now();
        return refreshTokens.findByHash(tenant, OpaqueTokens.hash(presented)).chain(token -> {
            if (token == null) {
                return Uni.createFrom().item(new Rotation.Invalid());
            }
            return sessions.findById(tenant, token.sessionId).chain(session -> {
                if (session == null || !session.isLive(now)) {
                    return Uni.createFrom().item(new Rotation.Invalid());
                }
                if (token.usedAt != null) {
                    session.revokedAt = now;
                    session.revokedReason = "refresh_token_reuse";
                    return sessions.flush().replaceWith(new Rotation.Reused(session.id));
                }
                token.usedAt = now;
                session.lastUsedAt = now;
                return users.findById(tenant, session.userId).chain(user -> {
                    if (user == null || !"active".equals(user.status)) {
                        return Uni.createFrom().item(new Rotation.Invalid());
                    }
                    return newRefreshToken(tenant, session.id).map(next -> (Rotation) new Rotation.Rotated(
                            session.id, user.id, Role.parse(user.role).orElse(Role.VIEWER), next));
                });
            });
        });
    }

    /** Revokes a live session of this tenant; false when there is none. */
    @WithTransaction
    public Uni<Boolean> revoke(TenantRef tenant, UUID sessionId, String reason) {
        return sessions.findById(tenant, sessionId).chain(session -> {
            if (session == null || session.revokedAt != null) {
                return Uni.createFrom().item(false);
            }
            session.revokedAt = now();
            session.revokedReason = reason;
            return sessions.flush().replaceWith(true);
        });
    }

    private Uni<String> newRefreshToken(TenantRef tenant, UUID sessionId) {
        String raw = OpaqueTokens.generate(REFRESH_PREFIX);
        RefreshToken token = new RefreshToken();
        token.sessionId = sessionId;
        token.tokenHash = OpaqueTokens.hash(raw);
        return refreshTokens.persist(tenant, token).replaceWith(raw);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }


    /** Revokes every live session of a user but one, inside the caller's transaction; returns the revoked ids. */
    public Uni<List<UUID>> revokeAllOf(TenantRef tenant, UUID userId, UUID except, String reason) {
        Instant now = now();
        return sessions.liveOf(tenant, userId).chain(live -> {
            List<UUID> revoked = new ArrayList<>();
            for (AuthSession session : live) {
                if (!session.id.equals(except)) {
                    session.revokedAt = now;
                    session.revokedReason = reason;
                    revoked.add(session.id);
                }
            }
            return sessions.flush().replaceWith(revoked);
        });
    }

    @WithSession
    public Uni<Page<UserApi.SessionView>> listOwn(TenantRef tenant, Caller caller, PageRequest page) {
        return sessions.pageLiveOf(tenant, caller.userId(), page)
                .map(rows -> page.toPage(rows, (AuthSession s) -> s.id).map(s -> UserApi.SessionView.of(s, caller.sessionId())));
    }

    /** Revokes one of the caller's own sessions; another user's session is "not found". */
    @WithTransaction
    public Uni<Void> revokeOwn(TenantRef tenant, Caller caller, UUID sessionId) {
        return sessions.findById(tenant, sessionId).chain(session -> {
            if (session == null || !session.userId.equals(caller.userId()) || session.revokedAt != null) {
                return Uni.createFrom().failure(NotFound.of("Session", sessionId));
            }
            session.revokedAt = now();
            session.revokedReason = "revoked_by_user";
            return sessions.flush();
        });
    }
}
