package io.rimedata.platform.egress;

import java.util.UUID;

/** On whose behalf a connection is checked: the tenant and the resource, for the audit entry of a refusal. */
public record EgressOrigin(UUID tenantId, UUID projectId, String resourceType, String resourceId, String resourceName) {

    public static EgressOrigin of(UUID tenantId, UUID projectId, String resourceType, Object resourceId, String resourceName) {
        return new EgressOrigin(tenantId, projectId, resourceType, resourceId == null ? null : resourceId.toString(),
                resourceName);
    }
}
