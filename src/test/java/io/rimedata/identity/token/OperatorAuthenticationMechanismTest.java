package io.rimedata.identity.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperatorAuthenticationMechanismTest {

    @Test
    void aShortOperatorTokenStopsTheServerFromStarting() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OperatorAuthenticationMechanism.configuredToken(Optional.of("operator-token")));
        assertTrue(e.getMessage().contains("at least 32 characters"), e.getMessage());
    }

    @Test
    void aBlankTokenMeansNoOperatorRoutes() {
        assertEquals(Optional.empty(), OperatorAuthenticationMechanism.configuredToken(Optional.of("  ")));
        assertEquals(Optional.empty(), OperatorAuthenticationMechanism.configuredToken(Optional.empty()));
    }

    @Test
    void aLongEnoughTokenIsAccepted() {
        String token = "0123456789abcdef0123456789abcdef";
        assertEquals(Optional.of(token), OperatorAuthenticationMechanism.configuredToken(Optional.of(token)));
    }
}
