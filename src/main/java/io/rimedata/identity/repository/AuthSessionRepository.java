package io.rimedata.identity.repository;

import io.rimedata.identity.AuthSession;
import io.rimedata.platform.pagination.PageRequest;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class AuthSessionRepository extends TenantScopedRepository<AuthSession> {

    private static final String LIVE = "userId = :user and revokedAt is null and expiresAt > :now";

    AuthSessionRepository() {
        super(AuthSession.class);
    }

    public Uni<List<AuthSession>> liveOf(TenantRef tenant, UUID userId) {
        return list(tenant, LIVE, "id", Map.of("user", userId, "now", Instant.now()));
    }

    public Uni<List<AuthSession>> pageLiveOf(TenantRef tenant, UUID userId, PageRequest page) {
        return page(tenant, LIVE, Map.of("user", userId, "now", Instant.now()), page);
    }
}
