package io.rimedata.identity;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One single-use link of a session's refresh chain; only its SHA-256 is stored. */
@Entity
@Table(name = "refresh_tokens")
public class RefreshToken extends TenantOwnedEntity {

    @Column(name = "session_id", nullable = false, updatable = false)
    public UUID sessionId;

    @Column(name = "token_hash", nullable = false, updatable = false, length = 64)
    public String tokenHash;

    @Column(name = "used_at")
    public Instant usedAt;
}
