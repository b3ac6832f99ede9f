package io.rimedata.identity;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A login: the chain of refresh tokens it issues and the access tokens that carry its id as {@code sid}. */
@Entity
@Table(name = "auth_sessions")
public class AuthSession extends TenantOwnedEntity {

    @Column(name = "user_id", nullable = false, updatable = false)
    public UUID userId;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "last_used_at", nullable = false)
    public Instant lastUsedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** logout, refresh_token_reuse, password_changed, admin … */
    @Column(name = "revoked_reason", length = 64)
    public String revokedReason;

    @Column(name = "source_ip", length = 64)
    public String sourceIp;

    @Column(name = "user_agent", length = 400)
    public String userAgent;

    public boolean isLive(Instant now) {
        return revokedAt == null && expiresAt.isAfter(now);
    }
}
