package io.rimedata.identity;

import io.rimedata.platform.persistence.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A person who signs in to a tenant. */
@Entity
@Table(name = "users")
public class User extends TenantOwnedEntity {

    /** Stored lower-cased; unique per tenant. */
    @Column(nullable = false, length = 320)
    public String email;

    /** bcrypt hash; null while the user is invited and has not chosen a password. */
    @Column(name = "password_hash", length = 100)
    public String passwordHash;

    @Column(name = "first_name", length = 100)
    public String firstName;

    @Column(name = "last_name", length = 100)
    public String lastName;

    @Column(nullable = false, length = 32)
    public String role;

    /** active, invited or deactivated. */
    @Column(nullable = false, length = 16)
    public String status;

    /** SHA-256 of the one-time invitation token, while invited. */
    @Column(name = "invitation_token_hash", length = 64)
    public String invitationTokenHash;

    @Column(name = "invitation_expires_at")
    public java.time.Instant invitationExpiresAt;
}
