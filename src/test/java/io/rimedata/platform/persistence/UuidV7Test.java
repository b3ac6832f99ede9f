package io.rimedata.platform.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidV7Test {

    @Test
    void hasVersionSevenAndRfcVariant() {
        UUID id = UuidV7.next();

        assertEquals(7, id.version());
        assertEquals(2, id.variant());
    }

    @Test
    void consecutiveIdsStrictlyIncreaseAsStringsAndUnsignedNumbers() {
        UUID previous = UuidV7.next();
        String previousText = previous.toString();
        for (int i = 0; i < 100_000; i++) {
            UUID current = UuidV7.next();
            String currentText = current.toString();
            assertTrue(currentText.compareTo(previousText) > 0, previousText + " should sort before " + currentText);
            assertTrue(compareUnsigned(current, previous) > 0, previousText + " should be below " + currentText);
            previous = current;
            previousText = currentText;
        }
    }

    @Test
    void timestampIsCloseToNow() {
        Instant timestamp = UuidV7.timestamp(UuidV7.next());

        assertTrue(Duration.between(Instant.now(), timestamp).abs().compareTo(Duration.ofSeconds(1)) < 0,
                () -> "timestamp " + timestamp);
    }

    @Test
    void timestampRejectsOtherVersions() {
        assertThrows(IllegalArgumentException.class, () -> UuidV7.timestamp(UUID.randomUUID()));
    }

    private static int compareUnsigned(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }
}
