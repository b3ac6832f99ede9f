package io.rimedata.identity.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rimedata.identity.ApiKey;
import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class ApiKeyRepository extends TenantScopedRepository<ApiKey> {

    ApiKeyRepository() {
        super(ApiKey.class);
    }

    public Uni<ApiKey> findByHash(TenantRef tenant, String keyHash) {
        return findOne(tenant, "keyHash = :hash", Map.of("hash", keyHash));
    }

    /** A key and what its creator is now: one round trip for the check made on every uncached use of a key. */
    public record WithCreator(ApiKey key, String creatorRole, String creatorStatus) {
    }

    /**
     * The key with this hash and its creator's current role and status (both null when the creator was removed), or
     * null when no key has this hash in the tenant.
     */
    public Uni<WithCreator> findByHashWithCreator(TenantRef tenant, String keyHash) {
        return Panache.getSession().chain(s -> s.createSelectionQuery(
                "select k, u.role, u.status from ApiKey k left join User u on u.id = k.createdBy and u.tenantId = k.tenantId"
                        + " where k.tenantId = :tenant and k.keyHash = :hash", Object[].class)
                .setParameter("tenant", tenant.id()).setParameter("hash", keyHash)
                .setMaxResults(1).getSingleResultOrNull())
                .map(row -> row == null ? null : new WithCreator((ApiKey) row[0], (String) row[1], (String) row[2]));
    }

    /** The keys a user created that are not revoked yet, in every project of the tenant. */
    public Uni<List<ApiKey>> findUnrevokedCreatedBy(TenantRef tenant, UUID userId) {
        return list(tenant, "createdBy = :user and revokedAt is null", "id", Map.of("user", userId));
    }

    public Uni<ApiKey> findInProject(TenantRef tenant, UUID projectId, UUID keyId) {
        return findOne(tenant, "projectId = :project and id = :id", Map.of("project", projectId, "id", keyId));
    }

    public Uni<List<ApiKey>> page(TenantRef tenant, UUID projectId, PageRequest page) {
        return page(tenant, "projectId = :project and revokedAt is null", Map.of("project", projectId), page);
    }
}
