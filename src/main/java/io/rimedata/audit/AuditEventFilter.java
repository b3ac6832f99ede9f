package io.rimedata.audit;

import java.time.Instant;
import java.util.UUID;

/** Validated filters of the audit-event list; null means "any". {@code from} is inclusive, {@code to} exclusive. */
public record AuditEventFilter(UUID projectId, UUID actorId, String category, String action, String resourceType,
        String resourceId, Instant from, Instant to) {
}
