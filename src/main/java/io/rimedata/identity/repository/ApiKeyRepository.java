package io.rimedata.identity.repository;

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

    public Uni<ApiKey> findInProject(TenantRef tenant, UUID projectId, UUID keyId) {
        return findOne(tenant, "projectId = :project and id = :id", Map.of("project", projectId, "id", keyId));
    }

    public Uni<List<ApiKey>> page(TenantRef tenant, UUID projectId, PageRequest page) {
        return page(tenant, "projectId = :project and revokedAt is null", Map.of("project", projectId), page);
    }
}
