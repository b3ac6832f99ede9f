package io.rimedata.identity.service;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.rimedata.identity.repository.UserRepository;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** What other contexts may read about users: the audit log names its actors. */
@ApplicationScoped
public class UserDirectory {

    private final UserRepository users;

    UserDirectory(UserRepository users) {
        this.users = users;
    }

    /** The user's email, or null when there is no such user; joins the caller's session if there is one. */
    @WithSession
    public Uni<String> emailOf(TenantRef tenant, UUID userId) {
        return users.findById(tenant, userId).map(user -> user == null ? null : user.email);
    }
}
