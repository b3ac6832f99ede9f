package io.rimedata.identity.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.rimedata.audit.service.AuditActions;
import io.rimedata.audit.service.AuditChanges;
import io.rimedata.audit.service.AuditEntry;
import io.rimedata.audit.service.AuditLog;
import io.rimedata.identity.Role;
import io.rimedata.identity.User;
import io.rimedata.identity.repository.UserRepository;
import io.rimedata.identity.rest.PlatformApi;
import io.rimedata.identity.token.OpaqueTokens;
import io.rimedata.platform.pagination.Page;
import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.platform.tenancy.Tenant;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.platform.tenancy.Tenants;
import io.rimedata.platform.error.NotFound;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The platform operator creates tenants, each with its first admin, in one transaction (§2.4). */
@ApplicationScoped
public class TenantProvisioning {

    static final String INVITATION_PREFIX = "rin_";
    static final Duration INVITATION_LIFETIME = Duration.ofDays(7);
    public static final String DEFAULT_TIMEZONE = "Pacific/Auckland";

    private final Tenants tenants;
    private final UserRepository users;
    private final PasswordHasher hasher;
    private final AuditLog audit;

    TenantProvisioning(Tenants tenants, UserRepository users, PasswordHasher hasher, AuditLog audit) {
        this.tenants = tenants;
        this.users = users;
        this.hasher = hasher;
        this.audit = audit;
    }

    /** Hashes the password first (off the event loop), then writes tenant and admin atomically. */
    public Uni<PlatformApi.ProvisionedTenant> provision(PlatformApi.CreateTenant request) {
        Uni<String> hash = request.admin().password() == null ? Uni.createFrom().nullItem()
                : hasher.hash(request.admin().password());
        // cross-tenant: the operator creates a tenant and its first admin
        return hash.chain(passwordHash -> DatabaseScope.forPlatform(() -> Panache.withTransaction(() -> write(request, passwordHash))));
    }

    private Uni<PlatformApi.ProvisionedTenant> write(PlatformApi.CreateTenant request, String passwordHash) {
        return tenants.create(request.subdomain(), request.name(), request.tier(), DEFAULT_TIMEZONE).chain(tenant -> {
            User admin = new User();
            admin.email = request.admin().email().toLowerCase(Locale.ROOT);
            admin.firstName = request.admin().firstName();
            admin.lastName = request.admin().lastName();
            admin.role = Role.ADMIN.wireName();
            String invitation = null;
            if (passwordHash != null) {
                admin.passwordHash = passwordHash;
                admin.status = "active";
            } else {
                invitation = OpaqueTokens.generate(INVITATION_PREFIX);
                admin.status = "invited";
                admin.invitationTokenHash = OpaqueTokens.hash(invitation);
                admin.invitationExpiresAt = Instant.now().plus(INVITATION_LIFETIME).truncatedTo(ChronoUnit.MILLIS);
            }
            String token = invitation;
            TenantRef ref = TenantRef.of(tenant);
            return users.persist(ref, admin)
                    .call(saved -> audit.record(ref, created("tenant", tenant.id, tenant.name, Map.of(
                            "subdomain", tenant.subdomain, "name", tenant.name, "tier", tenant.tier,
                            "default_timezone", tenant.defaultTimezone, "status", tenant.status))))
                    .call(saved -> audit.record(ref, created("user", saved.id, saved.email, userFields(saved))))
                    .map(saved -> new PlatformApi.ProvisionedTenant(PlatformApi.TenantView.of(tenant),
                            PlatformApi.AdminView.of(saved), token));
        });
    }

    /** Created by the platform operator; the tenant's own audit log shows it. */
    private static AuditEntry created(String type, UUID id, String name, Map<String, String> fields) {
        return AuditEntry.of(AuditEntry.Category.RESOURCE, AuditActions.RESOURCE_CREATED)
                .withActor(AuditEntry.Actor.operator())
                .withResource(type, id, name)
                .withChanges(AuditChanges.between(null, fields, Set.of()));
    }

    /** The profile, never the password or invitation hashes. */
    private static Map<String, String> userFields(User user) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("email", user.email);
        fields.put("first_name", user.firstName);
        fields.put("last_name", user.lastName);
        fields.put("role", user.role);
        fields.put("status", user.status);
        return fields;
    }

    @WithSession
    public Uni<PlatformApi.TenantView> get(UUID id) {
        return tenants.findById(id).map(tenant -> {
            if (tenant == null) {
                throw NotFound.of("Tenant", id);
            }
            return PlatformApi.TenantView.of(tenant);
        });
    }

    @WithSession
    public Uni<Page<PlatformApi.TenantView>> list(PageRequest page) {
        return tenants.page(page).map(rows -> page.toPage(rows, (Tenant t) -> t.id).map(PlatformApi.TenantView::of));
    }

    /** Whether a tenant with this subdomain exists (for the demo seed). */
    @WithSession
    public Uni<Boolean> exists(String subdomain) {
        return tenants.findBySubdomain(subdomain).map(t -> t != null);
    }
}
