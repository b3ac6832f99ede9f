package io.rimedata.audit.service;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * What a caller records in the audit log (§10). Null actor, source IP and request id are filled from the current
 * request by {@link AuditLog} (or the actor becomes {@code system} outside a request); background code sets them.
 */
public record AuditEntry(Actor actor, Category category, String action, Resource resource, UUID projectId,
        ObjectNode changes, String sourceIp, String requestId, Outcome outcome, Instant occurredAt) {

    public enum Category {
        AUTH, RESOURCE, GOVERNANCE;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Outcome {
        SUCCESS, FAILURE;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum ActorType {
        USER, API_KEY, SYSTEM, OPERATOR;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Who acted: a user or API key of the tenant, the platform operator, or the system itself. */
    public record Actor(ActorType type, UUID id, String email) {

        public static Actor user(UUID id, String email) {
            return new Actor(ActorType.USER, id, email);
        }

        public static Actor apiKey(UUID id) {
            return new Actor(ActorType.API_KEY, id, null);
        }

        public static Actor system() {
            return new Actor(ActorType.SYSTEM, null, null);
        }

        public static Actor operator() {
            return new Actor(ActorType.OPERATOR, null, null);
        }
    }

    /** What was acted on; {@code id} is text because some resources are named by a path. */
    public record Resource(String type, String id, String name) {
    }

    /** A successful action of the given category, to be refined with the {@code with…} methods. */
    public static AuditEntry of(Category category, String action) {
        return new AuditEntry(null, category, action, null, null, null, null, null, Outcome.SUCCESS, null);
    }

    public AuditEntry withActor(Actor value) {
        return new AuditEntry(value, category, action, resource, projectId, changes, sourceIp, requestId, outcome,
                occurredAt);
    }

    public AuditEntry withResource(String type, Object id, String name) {
        return new AuditEntry(actor, category, action, new Resource(type, id == null ? null : id.toString(), name),
                projectId, changes, sourceIp, requestId, outcome, occurredAt);
    }

    public AuditEntry withProject(UUID value) {
        return new AuditEntry(actor, category, action, resource, value, changes, sourceIp, requestId, outcome,
                occurredAt);
    }

    /** Changes as built by {@link AuditChanges}; an empty object counts as none. */
    public AuditEntry withChanges(ObjectNode value) {
        return new AuditEntry(actor, category, action, resource, projectId,
                value == null || value.isEmpty() ? null : value, sourceIp, requestId, outcome, occurredAt);
    }

    public AuditEntry withSource(String ip, String request) {
        return new AuditEntry(actor, category, action, resource, projectId, changes, ip, request, outcome, occurredAt);
    }

    public AuditEntry failed() {
        return new AuditEntry(actor, category, action, resource, projectId, changes, sourceIp, requestId,
                Outcome.FAILURE, occurredAt);
    }

    public AuditEntry at(Instant value) {
        return new AuditEntry(actor, category, action, resource, projectId, changes, sourceIp, requestId, outcome,
                value);
    }
}
