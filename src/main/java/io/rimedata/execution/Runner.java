package io.rimedata.execution;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An external runner registered by an admin; it authenticates with a token stored only as its SHA-256. */
@Entity
@Table(name = "runners")
public class Runner extends TenantOwnedEntity {

    @Column(nullable = false, length = 100)
    public String name;

    @Column(name = "token_hash", nullable = false, length = 64, updatable = false)
    public String tokenHash;

    @Column(nullable = false, length = 16, updatable = false)
    public String prefix;

    @Column(name = "last_seen_at")
    public Instant lastSeenAt;

    @Column(name = "created_by", updatable = false)
    public UUID createdBy;
}
