package io.rimedata.identity.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.rimedata.audit.service.AuditActions;
import io.rimedata.audit.service.AuditChanges;
import io.rimedata.audit.service.AuditEntry;
import io.rimedata.audit.service.AuditLog;
import io.rimedata.identity.ApiKey;
import io.rimedata.identity.Caller;
import io.rimedata.identity.IdentityConfig;
import io.rimedata.identity.ProjectLookup;
import io.rimedata.identity.Role;
import io.rimedata.identity.apikey.ApiKeyPrincipal;
import io.rimedata.identity.repository.ApiKeyRepository;
import io.rimedata.identity.rest.ApiKeyApi;
import io.rimedata.identity.token.OpaqueTokens;
import io.rimedata.identity.token.Revocations;
import io.rimedata.platform.error.Forbidden;
import io.rimedata.platform.error.NotFound;
import io.rimedata.platform.pagination.Page;
import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Project API keys. A key is shown once and stored as its SHA-256. Lookups are cached per replica for a few seconds;
 * revocation does not wait for that cache: the gate checks a shared Redis marker on every request.
 */
@ApplicationScoped
public class ApiKeyService {

    public static final String PREFIX = "rk_";
    private static final Duration CACHE_TTL = Duration.ofSeconds(30);
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private record Cached(Optional<ApiKeyPrincipal> principal, long expiresAtNanos) {
    }

    private final ApiKeyRepository keys;
    private final ProjectLookup projects;
    private final Revocations revocations;
    private final AuditLog audit;
    // keyed by whatever callers present, so bounded and evicting: a flood of made-up keys cannot grow it
    private final Cache<String, Cached> cache;

    ApiKeyService(ApiKeyRepository keys, ProjectLookup projects, Revocations revocations, AuditLog audit,
            IdentityConfig config, MeterRegistry registry) {
        this.cache = Caffeine.newBuilder().maximumSize(config.apiKeyCacheMaxEntries()).expireAfterWrite(CACHE_TTL)
                .executor(Runnable::run).build();
        Gauge.builder("rime.cache.entries", cache, c -> {
            c.cleanUp();
            return c.estimatedSize();
        }).tag("cache", "api-keys").description("Entries held by a per-replica cache").register(registry);
        this.audit = audit;
        this.keys = keys;
        this.projects = projects;
        this.revocations = revocations;
    }

    /** The principal of a presented key, or null when it is unknown, revoked, expired or another tenant's. */
    public Uni<ApiKeyPrincipal> authenticate(TenantRef tenant, String presented) {
        String hash = OpaqueTokens.hash(presented);
        Cached cached = cache.getIfPresent(hash);
        if (cached != null && System.nanoTime() - cached.expiresAtNanos < 0) {
            return Uni.createFrom().item(usable(cached.principal(), tenant));
        }
        Instant now = Instant.now();
        return DatabaseScope.transaction(tenant, () -> keys.findByHashWithCreator(tenant, hash).chain(found -> {
            if (found == null || !found.key().isUsable(now)
                    || !creatorVouchesFor(found.key().role, found.creatorRole(), found.creatorStatus())) {
                return Uni.createFrom().item(Optional.<ApiKeyPrincipal>empty());
            }
            ApiKey key = found.key();
            Optional<ApiKeyPrincipal> principal = Optional.of(new ApiKeyPrincipal(key.id, key.tenantId, key.projectId,
                    Role.parse(key.role).orElse(Role.VIEWER), key.createdBy, key.expiresAt));
            if (key.lastUsedAt == null || key.lastUsedAt.isBefore(now.minus(TOUCH_INTERVAL))) {
                key.lastUsedAt = now.truncatedTo(ChronoUnit.MILLIS);
                return keys.flush().replaceWith(principal);
            }
            return Uni.createFrom().item(principal);
        })).map(principal -> {
            cache.put(hash, new Cached(principal, System.nanoTime() + CACHE_TTL.toNanos()));
            return usable(principal, tenant);
        });
    }

    /**
     * Whether a key's creator, as they are now, still stands behind it: they exist, are active, and their role is
     * at least the key's. A key never outlives its creator's right to make it.
     */
    static boolean creatorVouchesFor(String keyRole, String creatorRole, String creatorStatus) {
        Optional<Role> creator = Role.parse(creatorRole);
        Optional<Role> key = Role.parse(keyRole);
        return "active".equals(creatorStatus) && creator.isPresent() && key.isPresent()
                && creator.get().includes(key.get());
    }

    /** A key revoked inside a caller's transaction, to be announced to every replica once that commits. */
    public record RevokedKey(UUID id, String hash) {
    }

    /**
     * Revokes, inside the caller's transaction, the keys a user created that the user no longer vouches for:
     * every one when {@code nowRole} is empty (the user is deactivated or removed), else those above {@code nowRole}.
     * Call {@link #announce} with the result after the transaction commits.
     */
    public Uni<List<RevokedKey>> revokeUnvouched(TenantRef tenant, UUID userId, Optional<Role> nowRole) {
        return keys.findUnrevokedCreatedBy(tenant, userId).chain(created -> {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            List<ApiKey> revoked = created.stream()
                    .filter(k -> nowRole.isEmpty() || !nowRole.get().includes(Role.parse(k.role).orElse(Role.ADMIN)))
                    .toList();
            if (revoked.isEmpty()) {
                return Uni.createFrom().item(List.<RevokedKey>of());
            }
            revoked.forEach(k -> k.revokedAt = now);
            return keys.flush()
                    .chain(() -> Multi.createFrom().iterable(revoked)
                            .onItem().transformToUniAndConcatenate(k ->
                                    record(tenant, AuditActions.RESOURCE_DELETED, k, audited(k), null))
                            .collect().last())
                    .replaceWith(revoked.stream().map(k -> new RevokedKey(k.id, k.keyHash)).toList());
        });
    }

    /** Makes keys revoked in a committed transaction fail at once on this replica and within a second on the others. */
    public Uni<Void> announce(List<RevokedKey> revoked) {
        return Multi.createFrom().iterable(revoked).onItem().transformToUniAndConcatenate(k -> {
            cache.invalidate(k.hash());
            return revocations.revokeApiKey(k.id(), CACHE_TTL.multipliedBy(4));
        }).collect().last().replaceWithVoid();
    }

    @WithTransaction
    public Uni<ApiKeyApi.ApiKeyView> create(TenantRef tenant, Caller caller, UUID projectId, ApiKeyApi.CreateApiKey request) {
        Role role = Role.parse(request.role()).orElseThrow();
        if (!caller.role().includes(role)) {
            return Uni.createFrom().failure(new Forbidden("An API key cannot have a role above its creator's ("
                    + caller.role().wireName() + ")."));
        }
        return requireProject(tenant, projectId).chain(() -> {
            String secret = OpaqueTokens.generate(PREFIX);
            ApiKey key = new ApiKey();
            key.projectId = projectId;
            key.name = request.name();
            key.role = role.wireName();
            key.prefix = secret.substring(0, 12);
            key.keyHash = OpaqueTokens.hash(secret);
            key.createdBy = caller.userId();
            key.expiresAt = request.expiresAt() == null ? null : request.expiresAt().truncatedTo(ChronoUnit.MILLIS);
            return keys.persist(tenant, key)
                    .call(saved -> record(tenant, AuditActions.RESOURCE_CREATED, saved, null, audited(saved)))
                    .map(saved -> ApiKeyApi.ApiKeyView.of(saved, secret));
        });
    }

    @WithSession
    public Uni<Page<ApiKeyApi.ApiKeyView>> list(TenantRef tenant, UUID projectId, PageRequest page) {
        return requireProject(tenant, projectId).chain(() -> keys.page(tenant, projectId, page))
                .map(rows -> page.toPage(rows, (ApiKey k) -> k.id).map(k -> ApiKeyApi.ApiKeyView.of(k, null)));
    }

    /** Revokes a key: in PostgreSQL, then as a shared Redis marker every replica's gate checks. */
    public Uni<Void> revoke(TenantRef tenant, UUID projectId, UUID keyId) {
        return DatabaseScope.transaction(tenant, () -> keys.findInProject(tenant, projectId, keyId).chain(key -> {
            if (key == null || key.revokedAt != null) {
                return Uni.createFrom().failure(NotFound.of("API key", keyId));
            }
            key.revokedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            return keys.flush().call(() -> record(tenant, AuditActions.RESOURCE_DELETED, key, audited(key), null))
                    .replaceWith(key.keyHash);
        })).chain(hash -> {
            cache.invalidate(hash);
            return revocations.revokeApiKey(keyId, CACHE_TTL.multipliedBy(4));
        });
    }

    private static Map<String, Object> audited(ApiKey key) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", key.name);
        doc.put("prefix", key.prefix);
        doc.put("role", key.role);
        doc.put("expires_at", key.expiresAt == null ? null : key.expiresAt.toString());
        return doc;
    }

    private Uni<Void> record(TenantRef tenant, String action, ApiKey key, Map<String, Object> before,
            Map<String, Object> after) {
        return audit.record(tenant, AuditEntry.of(AuditEntry.Category.RESOURCE, action)
                .withResource("api_key", key.id, key.name).withProject(key.projectId)
                .withChanges(AuditChanges.between(before, after, Set.of())));
    }

    private Uni<Void> requireProject(TenantRef tenant, UUID projectId) {
        return projects.exists(tenant, projectId).invoke(exists -> {
            if (!exists) {
                throw NotFound.of("Project", projectId);
            }
        }).replaceWithVoid();
    }

    private static ApiKeyPrincipal usable(Optional<ApiKeyPrincipal> principal, TenantRef tenant) {
        return principal.filter(p -> p.tenantId().equals(tenant.id())
                && (p.expiresAt() == null || p.expiresAt().isAfter(Instant.now()))).orElse(null);
    }
}
