package io.rimedata.platform.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PLAINTEXT = "s3cr3t-db-password";
    private static final String AAD = "tenant-42/connections/db/password";

    private final byte[] k1 = randomKey();
    private final byte[] k2 = randomKey();
    private final SecretBox box = new SecretBox("k1", Map.of("k1", k1));

    @Test
    void roundTrips() {
        String sealed = box.seal(PLAINTEXT, AAD);

        assertTrue(sealed.startsWith("v1.k1."), sealed);
        assertFalse(sealed.contains(PLAINTEXT));
        assertEquals(PLAINTEXT, box.open(sealed, AAD));
    }

    @Test
    void sealingTwiceGivesDifferentEnvelopes() {
        assertNotEquals(box.seal(PLAINTEXT, AAD), box.seal(PLAINTEXT, AAD));
    }

    @Test
    void differentAssociatedDataFails() {
        String sealed = box.seal(PLAINTEXT, AAD);

        assertThrows(SecretDecryptionException.class, () -> box.open(sealed, "tenant-43/connections/db/password"));
    }

    @Test
    void tamperedCiphertextFails() {
        String sealed = box.seal(PLAINTEXT, AAD);
        String prefix = sealed.substring(0, sealed.lastIndexOf('.') + 1);
        byte[] payload = Base64.getUrlDecoder().decode(sealed.substring(prefix.length()));

        for (int i = 0; i < payload.length; i++) {
            byte[] tampered = payload.clone();
            tampered[i] ^= 0x01;
            String forged = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
            assertThrows(SecretDecryptionException.class, () -> box.open(forged, AAD), "byte " + i);
        }
    }

    @Test
    void rotatedBoxStillOpensValuesSealedWithOldKey() {
        String sealed = box.seal(PLAINTEXT, AAD);
        SecretBox rotated = new SecretBox("k2", keys("k1", k1, "k2", k2));

        assertEquals(PLAINTEXT, rotated.open(sealed, AAD));
        assertTrue(rotated.needsRotation(sealed));
        assertFalse(box.needsRotation(sealed));

        String resealed = rotated.seal(PLAINTEXT, AAD);
        assertTrue(resealed.startsWith("v1.k2."), resealed);
        assertFalse(rotated.needsRotation(resealed));
    }

    @Test
    void unknownKeyIdFails() {
        String sealed = box.seal(PLAINTEXT, AAD);
        SecretBox other = new SecretBox("k2", Map.of("k2", k2));

        SecretDecryptionException e = assertThrows(SecretDecryptionException.class, () -> other.open(sealed, AAD));
        assertTrue(e.getMessage().contains("k1"), e.getMessage());
    }

    @Test
    void malformedEnvelopesFail() {
        String sealed = box.seal(PLAINTEXT, AAD);
        String[] malformed = {
            null, "", "v1", "v1.", "v1.k1", "v1..abc", "v2" + sealed.substring(2), "v1.k1.!!!!", "v1.k1.AAAA",
            "v1.k 1." + sealed.substring(6), sealed + ".extra"
        };
        for (String value : malformed) {
            assertThrows(SecretDecryptionException.class, () -> box.open(value, AAD), value);
        }
    }

    @Test
    void rejectsInvalidConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new SecretBox("k1", Map.of("k1", new byte[16])));
        assertThrows(IllegalArgumentException.class, () -> new SecretBox("k2", Map.of("k1", k1)));
        assertThrows(IllegalArgumentException.class, () -> new SecretBox(null, Map.of("k1", k1)));
        assertThrows(IllegalArgumentException.class, () -> new SecretBox("k1", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new SecretBox("k.1", Map.of("k.1", k1)));
    }

    @Test
    void parsesKeySpecifications() {
        String spec = "k1:" + Base64.getEncoder().encodeToString(k1) + ", k2:" + Base64.getEncoder().encodeToString(k2);

        Map<String, byte[]> parsed = SecretBox.parseKeys(spec);

        assertEquals(List.of("k1", "k2"), new ArrayList<>(parsed.keySet()));
        SecretBox fromSpec = new SecretBox("k2", parsed);
        assertEquals(PLAINTEXT, fromSpec.open(box.seal(PLAINTEXT, AAD), AAD));
    }

    @Test
    void parseKeysRejectsBadSpecifications() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        String goodKey = Base64.getEncoder().encodeToString(k1);

        assertThrows(IllegalArgumentException.class, () -> SecretBox.parseKeys("k1:" + shortKey));
        assertThrows(IllegalArgumentException.class, () -> SecretBox.parseKeys(goodKey));
        assertThrows(IllegalArgumentException.class, () -> SecretBox.parseKeys("k1:" + goodKey + ",k1:" + goodKey));
        assertThrows(IllegalArgumentException.class, () -> SecretBox.parseKeys("k1:%%%" + goodKey));
        assertThrows(IllegalArgumentException.class, () -> SecretBox.parseKeys(""));
        assertThrows(IllegalArgumentException.class, () -> SecretBox.parseKeys(null));
    }

    @Test
    void messagesAndToStringNeverRevealSecrets() {
        String sealed = box.seal(PLAINTEXT, AAD);
        String ciphertext = sealed.substring(sealed.lastIndexOf('.') + 1);
        SecretBox rotated = new SecretBox("k2", keys("k1", k1, "k2", k2));
        String k1Base64 = Base64.getEncoder().encodeToString(k1);
        String badBase64 = "k1:" + k1Base64.substring(0, 10) + "*" + k1Base64.substring(10);

        List<String> messages = new ArrayList<>();
        messages.add(box.toString());
        messages.add(rotated.toString());
        messages.add(assertThrows(SecretDecryptionException.class, () -> box.open(sealed, "other")).getMessage());
        messages.add(assertThrows(SecretDecryptionException.class,
                () -> new SecretBox("k2", Map.of("k2", k2)).open(sealed, AAD)).getMessage());
        messages.add(assertThrows(SecretDecryptionException.class,
                () -> box.open(sealed.substring(0, sealed.length() - 4), AAD)).getMessage());
        messages.add(assertThrows(SecretDecryptionException.class, () -> box.open(sealed + "*", AAD)).getMessage());
        messages.add(assertThrows(IllegalArgumentException.class, () -> SecretBox.parseKeys(k1Base64)).getMessage());
        messages.add(assertThrows(IllegalArgumentException.class, () -> SecretBox.parseKeys(badBase64)).getMessage());
        messages.add(assertThrows(IllegalArgumentException.class,
                () -> SecretBox.parseKeys("k1:" + k1Base64.substring(0, 24))).getMessage());
        messages.add(assertThrows(IllegalArgumentException.class,
                () -> new SecretBox("k1", Map.of("k1", new byte[16]))).getMessage());

        List<String> secrets = List.of(PLAINTEXT, ciphertext, ciphertext.substring(0, 16), k1Base64,
                k1Base64.substring(0, 10), Base64.getUrlEncoder().withoutPadding().encodeToString(k1),
                Base64.getEncoder().encodeToString(k2));
        for (String message : messages) {
            for (String secret : secrets) {
                assertFalse(message.contains(secret), () -> "'" + message + "' reveals a secret");
            }
        }
    }

    @Test
    void rejectsTextThatIsNotValidUnicode() {
        assertThrows(IllegalArgumentException.class, () -> box.seal("broken \uD800 surrogate", AAD));
    }

    @Property
    void roundTripsArbitraryUnicode(@ForAll("text") String plaintext, @ForAll("text") String associatedData) {
        assertEquals(plaintext, box.open(box.seal(plaintext, associatedData), associatedData));
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .list().ofMaxSize(200)
                .map(codePoints -> {
                    StringBuilder out = new StringBuilder();
                    codePoints.forEach(out::appendCodePoint);
                    return out.toString();
                });
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    private static Map<String, byte[]> keys(String id1, byte[] key1, String id2, byte[] key2) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        keys.put(id1, key1);
        keys.put(id2, key2);
        return keys;
    }
}
