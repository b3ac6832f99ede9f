package io.rimedata.identity.repository;

import io.rimedata.identity.RefreshToken;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

@ApplicationScoped
public class RefreshTokenRepository extends TenantScopedRepository<RefreshToken> {

    RefreshTokenRepository() {
        super(RefreshToken.class);
    }

    public Uni<RefreshToken> findByHash(TenantRef tenant, String tokenHash) {
        return findOne(tenant, "tokenHash = :hash", Map.of("hash", tokenHash));
    }
}
