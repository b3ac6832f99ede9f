package io.rimedata.platform.pagination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class CursorCodecTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final CursorCodec codec = new CursorCodec(KEY);

    @Test
    void roundTrips() {
        String position = UUID.randomUUID().toString();
        String filters = CursorCodec.fingerprint(new TreeMap<>(Map.of("status", "active")));

        String cursor = codec.encode("projects", filters, position);

        assertTrue(cursor.matches("[A-Za-z0-9_-]+"), cursor);
        assertEquals(position, codec.decode(cursor, "projects", filters));
    }

    @Test
    void rejectsCursorFromAnotherList() {
        String cursor = codec.encode("projects", "", "p1");

        InvalidCursorException e =
                assertThrows(InvalidCursorException.class, () -> codec.decode(cursor, "members", ""));
        assertEquals("The cursor was not issued for this list or these filters.", e.getMessage());
    }

    @Test
    void rejectsCursorIssuedForOtherFilters() {
        String active = CursorCodec.fingerprint(new TreeMap<>(Map.of("status", "active")));
        String archived = CursorCodec.fingerprint(new TreeMap<>(Map.of("status", "archived")));
        String cursor = codec.encode("projects", active, "p1");

        assertThrows(InvalidCursorException.class, () -> codec.decode(cursor, "projects", archived));
    }

    @Test
    void rejectsCursorSignedWithAnotherKey() {
        CursorCodec other = new CursorCodec("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));
        String cursor = other.encode("projects", "", "p1");

        assertThrows(InvalidCursorException.class, () -> codec.decode(cursor, "projects", ""));
    }

    @Test
    void rejectsEverySingleBitFlip() {
        String cursor = codec.encode("projects", "status=active", UUID.randomUUID().toString());
        byte[] raw = Base64.getUrlDecoder().decode(cursor);

        for (int bit = 0; bit < raw.length * 8; bit++) {
            byte[] flipped = raw.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            String tampered = ENCODER.encodeToString(flipped);
            assertThrows(InvalidCursorException.class, () -> codec.decode(tampered, "projects", "status=active"),
                    "bit " + bit);
        }
    }

    @Test
    void rejectsGarbage() {
        String valid = codec.encode("projects", "", "p1");
        String[] garbage = {
            null, "", "a", "!!!!", "not a cursor", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", valid + "==",
            valid.replace('-', '+').replace('_', '/') + "+/", valid + "A", valid.substring(0, valid.length() - 1),
            "A".repeat(513), valid + ".", " " + valid
        };
        for (String cursor : garbage) {
            if (valid.equals(cursor)) {
                continue;
            }
            assertThrows(InvalidCursorException.class, () -> codec.decode(cursor, "projects", ""), cursor);
        }
    }

    @Test
    void rejectsShortKeys() {
        assertThrows(IllegalArgumentException.class, () -> new CursorCodec(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> new CursorCodec(null));
    }

    @Test
    void longestEncodablePositionFitsTheLengthLimit() {
        String longest = "x".repeat(359);

        String cursor = codec.encode("projects", "", longest);

        assertTrue(cursor.length() <= CursorCodec.MAX_CURSOR_LENGTH, () -> "length " + cursor.length());
        assertEquals(longest, codec.decode(cursor, "projects", ""));
        assertThrows(IllegalArgumentException.class, () -> codec.encode("projects", "", longest + "x"));
    }

    @Test
    void fingerprintIsStableAndOmitsNullValues() {
        SortedMap<String, String> natural = new TreeMap<>();
        natural.put("status", "active");
        natural.put("owner", "ada");
        natural.put("tag", null);
        SortedMap<String, String> reversed = new TreeMap<>(Collections.reverseOrder());
        reversed.putAll(natural);

        assertEquals("owner=ada&status=active", CursorCodec.fingerprint(natural));
        assertEquals(CursorCodec.fingerprint(natural), CursorCodec.fingerprint(reversed));
        assertEquals("", CursorCodec.fingerprint(new TreeMap<>()));
    }

    @Test
    void fingerprintKeepsDelimitersInsideValuesUnambiguous() {
        SortedMap<String, String> one = new TreeMap<>();
        one.put("a", "1&b=2");
        SortedMap<String, String> two = new TreeMap<>();
        two.put("a", "1");
        two.put("b", "2");

        assertNotEquals(CursorCodec.fingerprint(one), CursorCodec.fingerprint(two));
    }

    @Property
    void roundTripsArbitraryListsAndPositions(
            @ForAll("text") String listId, @ForAll("text") String otherListId, @ForAll("text") String position) {
        Assume.that(!listId.equals(otherListId));
        String cursor = codec.encode(listId, "f", position);

        assertEquals(position, codec.decode(cursor, listId, "f"));
        assertThrows(InvalidCursorException.class, () -> codec.decode(cursor, otherListId, "f"));
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .list().ofMaxSize(80)
                .map(codePoints -> {
                    StringBuilder out = new StringBuilder();
                    codePoints.forEach(out::appendCodePoint);
                    return out.toString();
                });
    }
}
