package io.rimedata.identity.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import io.rimedata.platform.crypto.SecureRandomness;
import java.util.Base64;
import java.util.HexFormat;

/** Random bearer secrets (refresh and invitation tokens) with a recognisable prefix; only their SHA-256 is stored. */
public final class OpaqueTokens {

    private OpaqueTokens() {
    }

    /** {@code prefix} followed by 256 random bits in base64url. */
    public static String generate(String prefix) {
        byte[] bytes = new byte[32];
        SecureRandomness.get().nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
