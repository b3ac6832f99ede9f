package io.rimedata.platform.json;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {

    @Test
    void acceptsUtf8IncludingFourByteCharacters() {
        assertTrue(JsonBodies.wellFormed("{\"name\":\"café 😀 ok/\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesOverlongFormsOfSlashAndDot() {
        assertFalse(JsonBodies.wellFormed(new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'}));
        assertFalse(JsonBodies.wellFormed(new byte[] {'"', (byte) 0xE0, (byte) 0x80, (byte) 0xAF, '"'}));
        assertFalse(JsonBodies.wellFormed(new byte[] {'"', (byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF, '"'}));
        assertFalse(JsonBodies.wellFormed(new byte[] {'"', (byte) 0xC0, (byte) 0xAE, '"'}));
    }

    @Test
    void refusesEncodedSurrogatesAndTruncatedSequences() {
        assertFalse(JsonBodies.wellFormed(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}));
        assertFalse(JsonBodies.wellFormed(new byte[] {'"', (byte) 0xE2, (byte) 0x82}));
    }
}
