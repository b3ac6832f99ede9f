package io.rimedata.platform.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class UlidTest {

    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    @Test
    void hasTwentySixCharactersFromTheCrockfordAlphabet() {
        String id = Ulid.next();

        assertEquals(26, id.length());
        for (char c : id.toCharArray()) {
            assertTrue(ALPHABET.indexOf(c) >= 0, () -> "unexpected character '" + c + "' in " + id);
        }
        assertTrue(Ulid.isValid(id));
    }

    @Test
    void consecutiveIdsStrictlyIncrease() {
        String previous = Ulid.next();
        for (int i = 0; i < 10_000; i++) {
            String current = Ulid.next();
            assertTrue(current.compareTo(previous) > 0, previous + " should sort before " + current);
            previous = current;
        }
    }

    @Test
    void timestampDecodesToNow() {
        long before = System.currentTimeMillis();
        String id = Ulid.next();
        long after = System.currentTimeMillis();

        long millis = 0;
        for (int i = 0; i < 10; i++) {
            millis = (millis << 5) | ALPHABET.indexOf(id.charAt(i));
        }
        assertTrue(millis >= before - 1_000 && millis <= after + 1_000, () -> "timestamp " + id);
    }

    @Test
    void rejectsNonCanonicalValues() {
        String valid = Ulid.next();

        assertFalse(Ulid.isValid(null));
        assertFalse(Ulid.isValid(""));
        assertFalse(Ulid.isValid(valid.substring(1)));
        assertFalse(Ulid.isValid(valid + "0"));
        assertFalse(Ulid.isValid(valid.toLowerCase()));
        assertFalse(Ulid.isValid("8" + valid.substring(1)), "first character above 7 overflows 128 bits");
        assertTrue(Ulid.isValid("7ZZZZZZZZZZZZZZZZZZZZZZZZZ"));
        assertTrue(Ulid.isValid("00000000000000000000000000"));
    }

    @Property
    void rejectsAnyCharacterOutsideTheAlphabet(@ForAll @IntRange(min = 0, max = 25) int position, @ForAll char c) {
        Assume.that(ALPHABET.indexOf(c) < 0);
        char[] chars = Ulid.next().toCharArray();
        chars[position] = c;

        assertFalse(Ulid.isValid(new String(chars)));
    }
}
