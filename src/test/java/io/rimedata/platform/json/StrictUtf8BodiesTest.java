package io.rimedata.platform.json;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictUtf8BodiesTest {

    @Test
    void acceptsUtf8IncludingFourByteCharacters() {
        assertTrue(StrictUtf8Bodies.wellFormed("{\"name\":\"café 😀 ok/\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesOverlongFormsOfSlashAndDot() {
        assertFalse(StrictUtf8Bodies.wellFormed(new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'}));
        assertFalse(StrictUtf8Bodies.wellFormed(new byte[] {'"', (byte) 0xE0, (byte) 0x80, (byte) 0xAF, '"'}));
        assertFalse(StrictUtf8Bodies.wellFormed(new byte[] {'"', (byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF, '"'}));
        assertFalse(StrictUtf8Bodies.wellFormed(new byte[] {'"', (byte) 0xC0, (byte) 0xAE, '"'}));
    }

    @Test
    void refusesEncodedSurrogatesAndTruncatedSequences() {
        assertFalse(StrictUtf8Bodies.wellFormed(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}));
        assertFalse(StrictUtf8Bodies.wellFormed(new byte[] {'"', (byte) 0xE2, (byte) 0x82}));
    }
}
