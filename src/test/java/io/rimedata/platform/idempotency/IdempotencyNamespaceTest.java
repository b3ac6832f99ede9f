package io.rimedata.platform.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rimedata.execution.RunnerPrincipal;
import io.rimedata.identity.Role;
import io.rimedata.identity.apikey.ApiKeyPrincipal;
import java.security.Principal;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/** Whose idempotency records a caller can reach: only their own, whatever kind of caller shares an id. */
class IdempotencyNamespaceTest {

    private static JsonWebToken user(String subject) {
        return new JsonWebToken() {
            @Override
            public String getName() {
                return subject;
            }

            @Override
            public Set<String> getClaimNames() {
                return Set.of("sub");
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String claimName) {
                return "sub".equals(claimName) ? (T) subject : null;
            }
        };
    }

    @Test
    void usersKeysAndRunnersNeverShareANamespaceEvenWithTheSameId() {
        UUID id = UUID.randomUUID();
        UUID tenant = UUID.randomUUID();
        String asUser = IdempotencyFilter.namespace(user(id.toString()));
        String asKeyOfThatUser = IdempotencyFilter.namespace(
                new ApiKeyPrincipal(UUID.randomUUID(), tenant, UUID.randomUUID(), Role.EDITOR, id, null));
        String asKeyWithThatId = IdempotencyFilter.namespace(
                new ApiKeyPrincipal(id, tenant, UUID.randomUUID(), Role.EDITOR, UUID.randomUUID(), null));
        String asRunner = IdempotencyFilter.namespace(new RunnerPrincipal(id, tenant));
        assertEquals(4, Set.copyOf(List.of(asUser, asKeyOfThatUser, asKeyWithThatId, asRunner)).size(),
                List.of(asUser, asKeyOfThatUser, asKeyWithThatId, asRunner).toString());
        assertEquals("user:" + id, asUser);
        assertEquals("api-key:" + id, asKeyWithThatId);
        assertEquals("runner:" + id, asRunner);
    }

    @Test
    void callersWithoutACredentialHaveNoNamespace() {
        assertNull(IdempotencyFilter.namespace(null));
        assertNull(IdempotencyFilter.namespace(user(null)));
        assertNull(IdempotencyFilter.namespace(user(" ")));
        Principal nameless = () -> "";
        assertNull(IdempotencyFilter.namespace(nameless));
    }
}
