package io.rimedata.identity;

import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import java.util.UUID;

/** Whether a project exists in a tenant; implemented by the project context so identity does not depend on it. */
public interface ProjectLookup {

    /** Within the caller's session. */
    Uni<Boolean> exists(TenantRef tenant, UUID projectId);

    /** The project's default time zone, or null when there is no such project; within the caller's session. */
    Uni<String> defaultTimezone(TenantRef tenant, UUID projectId);
}
