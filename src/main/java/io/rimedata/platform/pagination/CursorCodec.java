package io.rimedata.platform.pagination;

import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encodes keyset-pagination positions into opaque cursors that clients cannot forge or reuse on another list.
 *
 * <p>Layout before base64url: version (1) | binding hash (8) | position (UTF-8) | HMAC-SHA256 truncated (16).
 */
public final class CursorCodec {

    public static final int MAX_CURSOR_LENGTH = 512;

    private static final String MALFORMED = "The cursor is malformed.";
    private static final String FORGED = "The cursor was not issued by this service or has been altered.";
    private static final String WRONG_LIST = "The cursor was not issued for this list or these filters.";

    private static final String HMAC_ALGORITHM = "HmacSHA256";
    private static final int MIN_KEY_BYTES = 32;
    private static final byte VERSION = 1;
    private static final int BINDING_BYTES = 8;
    private static final int HEADER_BYTES = 1 + BINDING_BYTES;
    private static final int MAC_BYTES = 16;
    private static final int MAX_RAW_BYTES = MAX_CURSOR_LENGTH / 4 * 3;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    public CursorCodec(byte[] hmacKey) {
        if (hmacKey == null || hmacKey.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("The cursor HMAC key must be at least " + MIN_KEY_BYTES + " bytes.");
        }
        this.key = new SecretKeySpec(hmacKey, HMAC_ALGORITHM);
    }

    public String encode(String listId, String filterFingerprint, String position) {
        Objects.requireNonNull(listId, "listId");
        Objects.requireNonNull(filterFingerprint, "filterFingerprint");
        Objects.requireNonNull(position, "position");
        byte[] positionBytes = strictUtf8(position);
        int bodyLength = HEADER_BYTES + positionBytes.length;
        if (bodyLength + MAC_BYTES > MAX_RAW_BYTES) {
            throw new IllegalArgumentException("The cursor position is too long to encode.");
        }
        byte[] raw = new byte[bodyLength + MAC_BYTES];
        raw[0] = VERSION;
        System.arraycopy(binding(listId, filterFingerprint), 0, raw, 1, BINDING_BYTES);
        System.arraycopy(positionBytes, 0, raw, HEADER_BYTES, positionBytes.length);
        System.arraycopy(mac(raw, bodyLength), 0, raw, bodyLength, MAC_BYTES);
        return ENCODER.encodeToString(raw);
    }

    public String decode(String cursor, String listId, String filterFingerprint) {
        Objects.requireNonNull(listId, "listId");
        Objects.requireNonNull(filterFingerprint, "filterFingerprint");
        if (cursor == null || cursor.isEmpty() || cursor.length() > MAX_CURSOR_LENGTH) {
            throw new InvalidCursorException(MALFORMED);
        }
        byte[] raw;
        try {
            raw = DECODER.decode(cursor);
        } catch (IllegalArgumentException e) {
            throw new InvalidCursorException(MALFORMED);
        }
        // Only the canonical spelling is accepted, so each position has exactly one cursor string.
        if (raw.length < HEADER_BYTES + MAC_BYTES || raw[0] != VERSION || !ENCODER.encodeToString(raw).equals(cursor)) {
            throw new InvalidCursorException(MALFORMED);
        }
        int bodyLength = raw.length - MAC_BYTES;
        byte[] presentedMac = Arrays.copyOfRange(raw, bodyLength, raw.length);
        if (!MessageDigest.isEqual(mac(raw, bodyLength), presentedMac)) {
            throw new InvalidCursorException(FORGED);
        }
        byte[] presentedBinding = Arrays.copyOfRange(raw, 1, HEADER_BYTES);
        if (!MessageDigest.isEqual(binding(listId, filterFingerprint), presentedBinding)) {
            throw new InvalidCursorException(WRONG_LIST);
        }
        return new String(raw, HEADER_BYTES, bodyLength - HEADER_BYTES, StandardCharsets.UTF_8);
    }

    /**
     * A stable text form of the active filters; filters whose value is null are treated as absent.
     */
    public static String fingerprint(SortedMap<String, String> filters) {
        Objects.requireNonNull(filters, "filters");
        StringBuilder out = new StringBuilder();
        // Re-sorted by natural order so a map with a custom comparator yields the same fingerprint.
        filters.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    if (!out.isEmpty()) {
                        out.append('&');
                    }
                    out.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                            .append('=')
                            .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
                });
        return out.toString();
    }

    private byte[] mac(byte[] raw, int length) {
        try {
            Mac mac = Mac.getInstance(HMAC_ALGORITHM);
            mac.init(key);
            mac.update(raw, 0, length);
            return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC_ALGORITHM + " is unavailable.", e);
        }
    }

    private static byte[] binding(String listId, String filterFingerprint) {
        byte[] list = listId.getBytes(StandardCharsets.UTF_8);
        byte[] filters = filterFingerprint.getBytes(StandardCharsets.UTF_8);
        // A length prefix rather than a separator, so no list id can make two different bindings hash alike.
        ByteBuffer input = ByteBuffer.allocate(Integer.BYTES + list.length + filters.length)
                .putInt(list.length)
                .put(list)
                .put(filters);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(input.array());
            return Arrays.copyOf(digest, BINDING_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable.", e);
        }
    }

    private static byte[] strictUtf8(String value) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(value));
            return Arrays.copyOf(encoded.array(), encoded.limit());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("The cursor position is not valid Unicode text.");
        }
    }
}
