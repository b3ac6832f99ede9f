package io.rimedata.identity.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.audit.service.AuditActions;
import io.rimedata.audit.service.AuditChanges;
import io.rimedata.audit.service.AuditEntry;
import io.rimedata.audit.service.AuditLog;
import io.rimedata.identity.Caller;
import io.rimedata.identity.Limit;
import io.rimedata.identity.Role;
import io.rimedata.identity.User;
import io.rimedata.identity.repository.UserRepository;
import io.rimedata.identity.rest.UserApi;
import io.rimedata.identity.token.OpaqueTokens;
import io.rimedata.identity.token.Revocations;
import io.rimedata.platform.error.Conflict;
import io.rimedata.platform.error.NotFound;
import io.rimedata.platform.error.Unauthorized;
import io.rimedata.platform.error.Unprocessable;
import io.rimedata.platform.pagination.Page;
import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.platform.tenancy.Tenants;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Locale;
import java.util.UUID;

/**
 * Users of a tenant (§2.3): profiles, invitations, roles, deactivation and removal. The tenant always keeps at least
 * one active admin. Sessions revoked here are also marked revoked in Redis, after the transaction commits; so are the
 * API keys a user created once the user is deactivated, removed, or demoted below a key's role.
 */
@ApplicationScoped
public class UserService {

    private static final String KIND = "User";

    private final UserRepository users;
    private final SessionService sessions;
    private final PasswordHasher hasher;
    private final Revocations revocations;
    private final Quotas quotas;
    private final Tenants tenants;
    private final AuthService auth;
    private final AuditLog audit;
    private final ApiKeyService apiKeys;
    private final LoginThrottle throttle;

    UserService(UserRepository users, SessionService sessions, PasswordHasher hasher, Revocations revocations,
            Quotas quotas, Tenants tenants, AuthService auth, AuditLog audit, ApiKeyService apiKeys, LoginThrottle throttle) {
        this.audit = audit;
        this.apiKeys = apiKeys;
        this.throttle = throttle;
        this.users = users;
        this.sessions = sessions;
        this.hasher = hasher;
        this.revocations = revocations;
        this.quotas = quotas;
        this.tenants = tenants;
        this.auth = auth;
    }

    @WithSession
    public Uni<UserApi.UserView> get(TenantRef tenant, UUID id) {
        return require(tenant, id).map(UserApi.UserView::of);
    }

    @WithSession
    public Uni<Page<UserApi.UserView>> list(TenantRef tenant, String role, String status, PageRequest page) {
        return users.page(tenant, role, status, page)
                .map(rows -> page.toPage(rows, (User u) -> u.id).map(UserApi.UserView::of));
    }

    @WithTransaction
    public Uni<UserApi.UserView> updateMe(TenantRef tenant, Caller caller, UserApi.UpdateMe patch) {
        return require(tenant, caller.userId()).chain(user -> {
            Map<String, Object> before = audited(user);
            if (patch.firstName() != null) {
                user.firstName = patch.firstName();
            }
            if (patch.lastName() != null) {
                user.lastName = patch.lastName();
            }
            return users.flush().call(() -> recordChange(tenant, AuditActions.RESOURCE_MODIFIED, user, before, audited(user)))
                    .map(v -> UserApi.UserView.of(user));
        });
    }

    /**
     * Checks the current password, stores the new one and revokes every other session of the user. Guesses at the
     * current password (with a stolen access token) are throttled like logins.
     */
    public Uni<Void> changePassword(TenantRef tenant, Caller caller, UserApi.ChangePassword change, String sourceIp) {
        LoginThrottle.Subject attempt = LoginThrottle.Subject.passwordChange(tenant, caller.userId(), sourceIp);
        return throttle.acquire(attempt)
                .chain(() -> DatabaseScope.session(tenant, () -> require(tenant, caller.userId()).map(user -> user.passwordHash)))
                .chain(hash -> hasher.matches(change.currentPassword(), hash))
                .chain(ok -> {
                    if (!ok) {
                        return Uni.createFrom().failure(new Unprocessable("The current password is incorrect."));
                    }
                    return throttle.succeeded(attempt).chain(() -> hasher.hash(change.newPassword()));
                })
                .chain(newHash -> DatabaseScope.transaction(tenant, () -> require(tenant, caller.userId()).chain(user -> {
                    user.passwordHash = newHash;
                    return sessions.revokeAllOf(tenant, user.id, caller.sessionId(), "password_changed")
                            .call(() -> audit.record(tenant, AuditEntry.of(AuditEntry.Category.AUTH, "password.changed")
                                    .withResource("user", user.id, user.email)));
                })))
                .chain(this::revokeInRedis);
    }

    @WithTransaction
    public Uni<UserApi.Invited> invite(TenantRef tenant, UserApi.Invite invite) {
        String email = invite.email().toLowerCase(Locale.ROOT);
        return quotas.require(tenant, Limit.USERS)
                .chain(() -> users.findByEmail(tenant, email))
                .chain(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().failure(new Conflict("A user with email '" + email + "' already exists."));
                    }
                    String token = OpaqueTokens.generate(TenantProvisioning.INVITATION_PREFIX);
                    User user = new User();
                    user.email = email;
                    user.role = invite.role();
                    user.firstName = invite.firstName();
                    user.lastName = invite.lastName();
                    user.status = "invited";
                    user.invitationTokenHash = OpaqueTokens.hash(token);
                    user.invitationExpiresAt = Instant.now().plus(TenantProvisioning.INVITATION_LIFETIME)
                            .truncatedTo(ChronoUnit.MILLIS);
                    return users.persist(tenant, user)
                            .call(saved -> recordChange(tenant, AuditActions.RESOURCE_CREATED, saved, null, audited(saved)))
                            .map(saved -> new UserApi.Invited(UserApi.UserView.of(saved), token));
                });
    }

    /**
     * Redeems a one-time invitation: the user becomes active and is logged in. The token is checked before the
     * password is hashed, so a bad token costs no hashing work; it is checked again when the user is updated.
     */
    public Uni<TokenPair> acceptInvitation(TenantRef tenant, UserApi.AcceptInvitation accept, String sourceIp,
            String userAgent) {
        String tokenHash = OpaqueTokens.hash(accept.token());
        return DatabaseScope.session(tenant, () -> users.findByInvitation(tenant, tokenHash).map(UserService::redeemable))
                .chain(found -> found ? hasher.hash(accept.password()) : Uni.createFrom().failure(badInvitation()))
                .chain(hash -> DatabaseScope.transaction(tenant, () -> users.findByInvitation(tenant, tokenHash)
                        .chain(user -> {
                            if (!redeemable(user)) {
                                return Uni.createFrom().failure(badInvitation());
                            }
                            Map<String, Object> before = audited(user);
                            user.passwordHash = hash;
                            user.firstName = accept.firstName();
                            user.lastName = accept.lastName();
                            user.status = "active";
                            user.invitationTokenHash = null;
                            user.invitationExpiresAt = null;
                            return users.flush()
                                    .call(() -> recordChange(tenant, AuditActions.RESOURCE_MODIFIED, user, before, audited(user)))
                                    .replaceWith(user);
                        })))
                .chain(user -> auth.openSession(tenant, user.id, Role.parse(user.role).orElse(Role.VIEWER), sourceIp, userAgent));
    }

    private static boolean redeemable(User user) {
        return user != null && "invited".equals(user.status) && user.invitationExpiresAt != null
                && !user.invitationExpiresAt.isBefore(Instant.now());
    }

    private static Unauthorized badInvitation() {
        return new Unauthorized("The invitation token is invalid, already used or expired.");
    }

    /** Changes role and/or status; the last active admin cannot be demoted or deactivated (409). */
    public Uni<UserApi.UserView> update(TenantRef tenant, UUID id, UserApi.UpdateUser patch) {
        return DatabaseScope.transaction(tenant, () -> tenants.lock(tenant).chain(() -> require(tenant, id)).chain(user -> {
            boolean losesAdmin = "admin".equals(user.role) && "active".equals(user.status)
                    && ((patch.role() != null && !"admin".equals(patch.role()))
                            || "deactivated".equals(patch.status()));
            if ("active".equals(patch.status()) && "invited".equals(user.status)) {
                return Uni.createFrom().failure(new Unprocessable(
                        "An invited user becomes active by accepting the invitation."));
            }
            Map<String, Object> before = audited(user);
            return requireAnotherAdmin(tenant, user, losesAdmin).chain(() -> {
                if (patch.role() != null) {
                    user.role = patch.role();
                }
                boolean deactivating = "deactivated".equals(patch.status()) && !"deactivated".equals(user.status);
                if (patch.status() != null && !"invited".equals(user.status)) {
                    user.status = patch.status();
                }
                Uni<List<UUID>> revoked = deactivating || patch.role() != null
                        // a role change takes effect on the next login: revoke so no token keeps the old role
                        ? sessions.revokeAllOf(tenant, user.id, null, deactivating ? "user_deactivated" : "role_changed")
                        : Uni.createFrom().item(List.of());
                // keys the user made stop working in this same transaction when the user can no longer make them
                Uni<List<ApiKeyService.RevokedKey>> revokedKeys = deactivating || patch.role() != null
                        ? apiKeys.revokeUnvouched(tenant, user.id,
                                deactivating ? Optional.empty() : Role.parse(user.role))
                        : Uni.createFrom().item(List.of());
                return revoked.chain(ids -> revokedKeys.chain(keys -> users.flush()
                        .call(() -> recordChange(tenant, AuditActions.RESOURCE_MODIFIED, user, before, audited(user)))
                        .map(v -> new Updated(UserApi.UserView.of(user), ids, keys))));
            });
        })).chain(updated -> revokeInRedis(updated.revoked()).chain(() -> apiKeys.announce(updated.revokedKeys()))
                .replaceWith(updated.view()));
    }

    /** Removes a user and their sessions; the last active admin cannot be removed (409). */
    public Uni<Void> delete(TenantRef tenant, UUID id) {
        return DatabaseScope.transaction(tenant, () -> tenants.lock(tenant).chain(() -> require(tenant, id)).chain(user ->
                requireAnotherAdmin(tenant, user, "admin".equals(user.role) && "active".equals(user.status))
                        .chain(() -> sessions.revokeAllOf(tenant, user.id, null, "user_removed"))
                        .chain(ids -> apiKeys.revokeUnvouched(tenant, user.id, Optional.empty())
                                .map(keys -> new Removed(ids, keys)))
                        .call(() -> recordChange(tenant, AuditActions.RESOURCE_DELETED, user, audited(user), null))
                        .call(() -> users.delete(tenant, user))))
                .chain(removed -> revokeInRedis(removed.sessions()).chain(() -> apiKeys.announce(removed.keys())));
    }

    /** An admin ends every session of a user. */
    public Uni<Void> revokeSessions(TenantRef tenant, UUID id) {
        return DatabaseScope.transaction(tenant, () -> require(tenant, id)
                .chain(user -> sessions.revokeAllOf(tenant, user.id, null, "revoked_by_admin")
                        .call(() -> audit.record(tenant, AuditEntry.of(AuditEntry.Category.AUTH, AuditActions.SESSION_REVOKED)
                                .withResource("user", user.id, user.email)))))
                .chain(this::revokeInRedis);
    }

    /** The audited fields of a user (never the password hash or the invitation token). */
    private static Map<String, Object> audited(User user) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("email", user.email);
        doc.put("first_name", user.firstName);
        doc.put("last_name", user.lastName);
        doc.put("role", user.role);
        doc.put("status", user.status);
        return doc;
    }

    private Uni<Void> recordChange(TenantRef tenant, String action, User user, Map<String, Object> before,
            Map<String, Object> after) {
        ObjectNode changes = AuditChanges.between(before, after, Set.of());
        if (changes.isEmpty() && AuditActions.RESOURCE_MODIFIED.equals(action)) {
            return Uni.createFrom().voidItem();
        }
        return audit.record(tenant, AuditEntry.of(AuditEntry.Category.RESOURCE, action)
                .withResource("user", user.id, user.email).withChanges(changes));
    }

    private Uni<Void> requireAnotherAdmin(TenantRef tenant, User user, boolean losesAdmin) {
        if (!losesAdmin) {
            return Uni.createFrom().voidItem();
        }
        return users.countActiveAdminsOtherThan(tenant, user.id).invoke(others -> {
            if (others == 0) {
                throw new Conflict("The last active admin of a tenant cannot be demoted, deactivated or removed.");
            }
        }).replaceWithVoid();
    }

    private Uni<User> require(TenantRef tenant, UUID id) {
        return users.findById(tenant, id).map(user -> {
            if (user == null) {
                throw NotFound.of(KIND, id);
            }
            return user;
        });
    }

    private Uni<Void> revokeInRedis(List<UUID> sessionIds) {
        return Multi.createFrom().iterable(sessionIds).onItem().transformToUniAndConcatenate(revocations::revokeSession)
                .collect().last().replaceWithVoid();
    }

    private record Updated(UserApi.UserView view, List<UUID> revoked, List<ApiKeyService.RevokedKey> revokedKeys) {
    }

    private record Removed(List<UUID> sessions, List<ApiKeyService.RevokedKey> keys) {
    }
}
