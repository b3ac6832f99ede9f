package io.rimedata.platform.request;

import io.rimedata.platform.crypto.SecureRandomness;
import java.security.SecureRandom;

/**
 * Generates ULIDs: 26-character, Crockford base32, lexicographically sortable identifiers.
 */
public final class Ulid {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final boolean[] VALID_CHAR = new boolean[128];
    private static final int LENGTH = 26;
    private static final long MASK_40_BITS = (1L << 40) - 1;
    private static final long MAX_RANDOM_HIGH = 0xFFFF;
    private static final Object LOCK = new Object();

    static {
        for (char c : ALPHABET) {
            VALID_CHAR[c] = true;
        }
    }


    private static long lastMillis = -1;
    private static long randomHigh;
    private static long randomLow;

    private Ulid() {
    }

    public static String next() {
        long millis;
        long high;
        long low;
        synchronized (LOCK) {
            long now = System.currentTimeMillis();
            if (now > lastMillis) {
                lastMillis = now;
                reseed();
            } else {
                // Same millisecond or clock stepped back: increment so ids keep sorting by creation.
                randomLow++;
                if (randomLow == 0) {
                    randomHigh++;
                    if (randomHigh > MAX_RANDOM_HIGH) {
                        lastMillis++;
                        reseed();
                    }
                }
            }
            millis = lastMillis;
            high = randomHigh;
            low = randomLow;
        }
        return encode(millis, high, low);
    }

    public static boolean isValid(String value) {
        if (value == null || value.length() != LENGTH) {
            return false;
        }
        // 26 chars carry 130 bits; a leading char above '7' would overflow 128.
        if (value.charAt(0) > '7') {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = value.charAt(i);
            if (c >= VALID_CHAR.length || !VALID_CHAR[c]) {
                return false;
            }
        }
        return true;
    }

    private static void reseed() {
        SecureRandom rng = SecureRandomness.get();
        randomHigh = rng.nextInt() & MAX_RANDOM_HIGH;
        randomLow = rng.nextLong();
    }

    private static String encode(long millis, long high, long low) {
        char[] out = new char[LENGTH];
        long time = millis;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // The 80 random bits split into two 40-bit halves, eight characters each.
        long upper = (high << 24) | (low >>> 40);
        long lower = low & MASK_40_BITS;
        for (int i = 17; i >= 10; i--) {
            out[i] = ALPHABET[(int) (upper & 31)];
            upper >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = ALPHABET[(int) (lower & 31)];
            lower >>>= 5;
        }
        return new String(out);
    }

}
