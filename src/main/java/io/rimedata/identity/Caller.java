package io.rimedata.identity;

import java.util.UUID;

/**
 * The authenticated principal of a request, as the services see it: a user (with the session of the token) or an
 * API key (acting for the user who created it, inside one project).
 */
public record Caller(UUID userId, Role role, UUID sessionId, UUID apiKeyId, UUID projectId) {

    public static Caller user(UUID userId, Role role, UUID sessionId) {
        return new Caller(userId, role, sessionId, null, null);
    }

    public boolean isApiKey() {
        return apiKeyId != null;
    }
}
