package io.rimedata.identity.repository;

import io.rimedata.identity.User;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;

@ApplicationScoped
public class UserRepository extends TenantScopedRepository<User> {

    UserRepository() {
        super(User.class);
    }

    public Uni<User> findByEmail(TenantRef tenant, String email) {
        return findOne(tenant, "email = :email", Map.of("email", email.toLowerCase(Locale.ROOT)));
    }
}
