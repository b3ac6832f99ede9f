package io.rimedata.identity.repository;

import io.rimedata.identity.AuthSession;
import io.rimedata.platform.persistence.TenantScopedRepository;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class AuthSessionRepository extends TenantScopedRepository<AuthSession> {

    AuthSessionRepository() {
        super(AuthSession.class);
    }
}
