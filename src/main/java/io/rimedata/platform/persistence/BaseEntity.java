package io.rimedata.platform.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Id, timestamps (millisecond precision, as the API renders them) and optimistic lock of every row. */
@MappedSuperclass
public abstract class BaseEntity {

    /** Time-ordered (UUIDv7), so ordering by id is ordering by creation: the keyset of every list. */
    @Id
    public UUID id;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Optimistic lock, and the source of the resource's ETag. */
    @Version
    public long version;

    @PrePersist
    void beforeInsert() {
        if (id == null) {
            id = UuidV7.next();
        }
        createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        updatedAt = createdAt;
    }

    @PreUpdate
    void beforeUpdate() {
        updatedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
