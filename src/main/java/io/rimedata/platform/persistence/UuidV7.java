package io.rimedata.platform.persistence;

import io.rimedata.platform.crypto.SecureRandomness;
import java.time.Instant;
import java.util.UUID;

/**
 * Generates RFC 9562 version-7 UUIDs, so primary keys are time-ordered and index-friendly.
 */
public final class UuidV7 {

    private static final int VERSION = 7;
    private static final long VERSION_BITS = 0x7000L;
    private static final long VARIANT_BITS = 0x8000_0000_0000_0000L;
    private static final long RAND_B_MASK = 0x3FFF_FFFF_FFFF_FFFFL;
    private static final int MAX_COUNTER = 0xFFF;
    // Seeding below 2^11 leaves at least 2048 increments before the 12-bit counter overflows (RFC 9562 §6.2).
    private static final int COUNTER_SEED_MASK = 0x7FF;
    private static final Object LOCK = new Object();


    private static long lastMillis = -1;
    private static int counter;

    private UuidV7() {
    }

    public static UUID next() {
        long millis;
        int sequence;
        synchronized (LOCK) {
            long now = System.currentTimeMillis();
            if (now > lastMillis) {
                lastMillis = now;
                counter = SecureRandomness.get().nextInt() & COUNTER_SEED_MASK;
            } else if (++counter > MAX_COUNTER) {
                // Borrowing the next millisecond keeps ordering; the clock catches up within a few ms.
                lastMillis++;
                counter = SecureRandomness.get().nextInt() & COUNTER_SEED_MASK;
            }
            millis = lastMillis;
            sequence = counter;
        }
        long msb = (millis << 16) | VERSION_BITS | sequence;
        long lsb = VARIANT_BITS | (SecureRandomness.get().nextLong() & RAND_B_MASK);
        return new UUID(msb, lsb);
    }

    public static Instant timestamp(UUID uuid) {
        if (uuid.version() != VERSION) {
            throw new IllegalArgumentException("Not a version 7 UUID: " + uuid);
        }
        return Instant.ofEpochMilli(uuid.getMostSignificantBits() >>> 16);
    }

}
