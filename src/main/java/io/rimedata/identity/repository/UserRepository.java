package io.rimedata.identity.repository;

import io.rimedata.identity.User;
import io.rimedata.platform.persistence.TenantScopedRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import io.rimedata.platform.pagination.PageRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class UserRepository extends TenantScopedRepository<User> {

    UserRepository() {
        super(User.class);
    }

    public Uni<User> findByInvitation(TenantRef tenant, String tokenHash) {
        return findOne(tenant, "invitationTokenHash = :hash", Map.of("hash", tokenHash));
    }

    /** Users that count against the tier's cap: everyone not deactivated. */
    public Uni<Long> countSeats(TenantRef tenant) {
        return count(tenant, "status <> 'deactivated'", Map.of());
    }

    public Uni<Long> countActiveAdminsOtherThan(TenantRef tenant, UUID userId) {
        return count(tenant, "role = 'admin' and status = 'active' and id <> :user", Map.of("user", userId));
    }

    public Uni<List<User>> page(TenantRef tenant, String role, String status, PageRequest page) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (role != null) {
            where.append(" and role = :role");
            params.put("role", role);
        }
        if (status != null) {
            where.append(" and status = :status");
            params.put("status", status);
        }
        return page(tenant, where.toString(), params, page);
    }

    public Uni<User> findByEmail(TenantRef tenant, String email) {
        return findOne(tenant, "email = :email", Map.of("email", email.toLowerCase(Locale.ROOT)));
    }
}
