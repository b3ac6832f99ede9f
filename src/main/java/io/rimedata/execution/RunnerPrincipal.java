package io.rimedata.execution;

import io.rimedata.platform.request.TenantBoundPrincipal;
import java.util.UUID;

/** The principal of a request made by a registered runner. */
public record RunnerPrincipal(UUID runnerId, UUID tenantId) implements TenantBoundPrincipal {

    public static final String ROLE = "runner";

    @Override
    public String getName() {
        return runnerId.toString();
    }

    @Override
    public String revocationKey() {
        return null; // runners are looked up in PostgreSQL on every request
    }

    @Override
    public String namespace() {
        return "runner:" + runnerId;
    }
}
