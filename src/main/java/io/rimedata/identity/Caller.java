package io.rimedata.identity;

import java.util.UUID;

/** The authenticated principal of a request, as the services see it. */
public record Caller(UUID userId, Role role, UUID sessionId) {
}
