package io.rimedata.identity;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A bearer credential that acts inside one project with a fixed role. */
@Entity
@Table(name = "api_keys")
public class ApiKey extends TenantOwnedEntity {

    @Column(name = "project_id", nullable = false, updatable = false)
    public UUID projectId;

    @Column(nullable = false, length = 100)
    public String name;

    /** The first characters of the key, shown in lists so people can tell keys apart. */
    @Column(nullable = false, length = 16, updatable = false)
    public String prefix;

    @Column(name = "key_hash", nullable = false, length = 64, updatable = false)
    public String keyHash;

    @Column(nullable = false, length = 32)
    public String role;

    /** Space-separated scopes; reserved for finer grants, empty today. */
    @Column(columnDefinition = "text")
    public String scopes;

    @Column(name = "created_by", nullable = false, updatable = false)
    public UUID createdBy;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    public boolean isUsable(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
