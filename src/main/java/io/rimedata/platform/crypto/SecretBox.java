package io.rimedata.platform.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets for storage with AES-256-GCM under named keys, so keys can be rotated without re-encrypting at once.
 *
 * <p>Envelope: {@code v1.<keyId>.<base64url(iv || ciphertext || tag)>}. The associated data (for example tenant id
 * and field path) is authenticated but not stored, so a value copied to another row fails to open.
 */
public final class SecretBox {

    private static final String PREFIX = "v1.";
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int KEY_BYTES = 32;
    // Random 96-bit IVs stay collision-safe for about 2^32 seals per key; rotate well before that.
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int MAX_KEY_ID_LENGTH = 64;

    private static final String MALFORMED = "The sealed value is malformed.";
    private static final String NOT_AUTHENTIC =
            "The sealed value failed authentication: it was altered or belongs to different associated data.";

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();


    private final String activeKeyId;
    private final Map<String, SecretKey> keys;

    public SecretBox(String activeKeyId, Map<String, byte[]> keys) {
        if (keys == null || keys.isEmpty()) {
            throw new IllegalArgumentException("At least one encryption key is required.");
        }
        Map<String, SecretKey> copy = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> entry : keys.entrySet()) {
            String id = entry.getKey();
            requireValidKeyId(id);
            byte[] key = entry.getValue();
            if (key == null || key.length != KEY_BYTES) {
                throw new IllegalArgumentException("Encryption key '" + id + "' must be exactly " + KEY_BYTES
                        + " bytes, got " + (key == null ? 0 : key.length) + ".");
            }
            copy.put(id, new SecretKeySpec(key, "AES"));
        }
        if (activeKeyId == null || !copy.containsKey(activeKeyId)) {
            throw new IllegalArgumentException("The active key id has no matching key; configured ids: "
                    + copy.keySet() + ".");
        }
        this.activeKeyId = activeKeyId;
        this.keys = Collections.unmodifiableMap(copy);
    }

    public String seal(String plaintext, String associatedData) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(associatedData, "associatedData");
        byte[] message = strictUtf8(plaintext, "plaintext");
        byte[] iv = new byte[IV_BYTES];
        SecureRandomness.get().nextBytes(iv);
        byte[] ciphertext;
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(strictUtf8(associatedData, "associated data"));
            ciphertext = cipher.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption is unavailable.", e);
        }
        byte[] payload = new byte[IV_BYTES + ciphertext.length];
        System.arraycopy(iv, 0, payload, 0, IV_BYTES);
        System.arraycopy(ciphertext, 0, payload, IV_BYTES, ciphertext.length);
        return PREFIX + activeKeyId + "." + ENCODER.encodeToString(payload);
    }

    public String open(String sealed, String associatedData) {
        Objects.requireNonNull(associatedData, "associatedData");
        String keyId = keyIdOf(sealed);
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw new SecretDecryptionException("The sealed value uses unknown key id '" + keyId + "'.");
        }
        byte[] payload;
        try {
            payload = DECODER.decode(sealed.substring(PREFIX.length() + keyId.length() + 1));
        } catch (IllegalArgumentException e) {
            throw new SecretDecryptionException(MALFORMED);
        }
        if (payload.length < IV_BYTES + TAG_BITS / Byte.SIZE) {
            throw new SecretDecryptionException(MALFORMED);
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, payload, 0, IV_BYTES));
            cipher.updateAAD(strictUtf8(associatedData, "associated data"));
            byte[] message = cipher.doFinal(payload, IV_BYTES, payload.length - IV_BYTES);
            return new String(message, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SecretDecryptionException(NOT_AUTHENTIC);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption is unavailable.", e);
        }
    }

    public boolean needsRotation(String sealed) {
        return !activeKeyId.equals(keyIdOf(sealed));
    }

    /**
     * Parses {@code "k1:BASE64KEY,k2:BASE64KEY"} (standard base64, 32-byte keys) as read from configuration.
     */
    public static Map<String, byte[]> parseKeys(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("The encryption key list is empty.");
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            // The entry itself is never echoed: a missing colon may mean it is a bare key.
            if (colon <= 0) {
                throw new IllegalArgumentException("Each encryption key entry must have the form 'id:base64key'.");
            }
            String id = trimmed.substring(0, colon).strip();
            requireValidKeyId(id);
            byte[] key;
            try {
                key = Base64.getDecoder().decode(trimmed.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                // No cause attached: the decoder's message quotes the offending key characters.
                throw new IllegalArgumentException("Encryption key '" + id + "' is not valid base64.");
            }
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException("Encryption key '" + id + "' must be exactly " + KEY_BYTES
                        + " bytes, got " + key.length + ".");
            }
            if (keys.putIfAbsent(id, key) != null) {
                throw new IllegalArgumentException("Encryption key id '" + id + "' appears more than once.");
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("The encryption key list is empty.");
        }
        return Collections.unmodifiableMap(keys);
    }

    @Override
    public String toString() {
        return "SecretBox[activeKeyId=" + activeKeyId + ", keyIds=" + keys.keySet() + "]";
    }

    private static String keyIdOf(String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new SecretDecryptionException(MALFORMED);
        }
        int dot = sealed.indexOf('.', PREFIX.length());
        if (dot < 0) {
            throw new SecretDecryptionException(MALFORMED);
        }
        String keyId = sealed.substring(PREFIX.length(), dot);
        if (!isValidKeyId(keyId)) {
            throw new SecretDecryptionException(MALFORMED);
        }
        return keyId;
    }

    private static void requireValidKeyId(String id) {
        // The offending id is not echoed in case a key was pasted where an id belongs.
        if (!isValidKeyId(id)) {
            throw new IllegalArgumentException("Encryption key ids must be 1 to " + MAX_KEY_ID_LENGTH
                    + " characters from A-Z, a-z, 0-9, '_' and '-'.");
        }
    }

    private static boolean isValidKeyId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_KEY_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    private static byte[] strictUtf8(String value, String what) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(value));
            return Arrays.copyOf(encoded.array(), encoded.limit());
        } catch (CharacterCodingException e) {
            // Lenient encoding would turn lone surrogates into '?', silently changing the value.
            throw new IllegalArgumentException("The " + what + " is not valid Unicode text.");
        }
    }

}
