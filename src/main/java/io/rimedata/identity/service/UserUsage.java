package io.rimedata.identity.service;

import io.rimedata.identity.Limit;
import io.rimedata.identity.UsageCounter;
import io.rimedata.identity.repository.UserRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Users that are not deactivated count against the tier's {@code users} cap. */
@ApplicationScoped
public class UserUsage implements UsageCounter {

    private final UserRepository users;

    UserUsage(UserRepository users) {
        this.users = users;
    }

    @Override
    public Limit limit() {
        return Limit.USERS;
    }

    @Override
    public Uni<Long> count(TenantRef tenant, UUID projectId) {
        return users.countSeats(tenant);
    }
}
