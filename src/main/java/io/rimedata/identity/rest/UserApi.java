package io.rimedata.identity.rest;

import io.rimedata.identity.AuthSession;
import io.rimedata.identity.User;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Records of the users, invitations and sessions API (§2.3, §2.1). */
public final class UserApi {

    static final String ROLES = "admin|governance_admin|editor|viewer";
    static final String ROLES_MESSAGE = "Must be one of admin, governance_admin, editor, viewer.";

    private UserApi() {
    }

    @Schema(name = "User")
    public record UserView(UUID id, String email, String firstName, String lastName, String role, String status,
            Instant createdAt, Instant updatedAt) {
        public static UserView of(User u) {
            return new UserView(u.id, u.email, u.firstName, u.lastName, u.role, u.status, u.createdAt, u.updatedAt);
        }
    }

    @Schema(name = "UpdateMe", description = "Merge semantics: absent fields are unchanged.")
    public record UpdateMe(@Size(min = 1, max = 100) String firstName, @Size(min = 1, max = 100) String lastName) {
    }

    @Schema(name = "ChangePassword")
    public record ChangePassword(@NotBlank @Size(max = 200) String currentPassword,
            @NotBlank @Size(min = 12, max = 200, message = "Must be 12 to 200 characters.") String newPassword) {
    }

    @Schema(name = "InviteUser")
    public record Invite(@NotBlank @Email @Size(max = 320) String email,
            @NotNull @Pattern(regexp = ROLES, message = ROLES_MESSAGE) String role,
            @Size(max = 100) String firstName, @Size(max = 100) String lastName) {
    }

    @Schema(name = "InvitedUser")
    public record Invited(UserView user,
            @Schema(description = "One-time invitation token, valid 7 days; deliver it to the invitee.") String invitationToken) {
    }

    @Schema(name = "UpdateUser", description = "Merge semantics: absent fields are unchanged.")
    public record UpdateUser(@Pattern(regexp = ROLES, message = ROLES_MESSAGE) String role,
            @Pattern(regexp = "active|deactivated", message = "Must be active or deactivated.") String status) {
    }

    @Schema(name = "AcceptInvitation")
    public record AcceptInvitation(@NotBlank @Size(max = 200) String token,
            @NotBlank @Size(min = 12, max = 200, message = "Must be 12 to 200 characters.") String password,
            @NotBlank @Size(max = 100) String firstName, @NotBlank @Size(max = 100) String lastName) {
    }

    @Schema(name = "Session")
    public record SessionView(UUID id, Instant createdAt, Instant lastUsedAt, Instant expiresAt, String sourceIp,
            String userAgent, boolean current) {
        public static SessionView of(AuthSession s, UUID currentSession) {
            return new SessionView(s.id, s.createdAt, s.lastUsedAt, s.expiresAt, s.sourceIp, s.userAgent,
                    s.id.equals(currentSession));
        }
    }
}
