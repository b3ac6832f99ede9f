package io.rimedata.support;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

/** Hand-made access tokens, good and bad, for the authentication error matrix. */
public final class TestTokens {

    public static final String ISSUER = "https://api.rimedata.io";
    public static final String AUDIENCE = "rime-api";

    private TestTokens() {
    }

    public static JwtClaimsBuilder claims(String tenant, String role, Set<String> groups) {
        Instant now = Instant.now();
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(UUID.randomUUID().toString())
                .claim("tenant", tenant).claim("role", role).groups(groups)
                .claim("sid", UUID.randomUUID().toString()).claim("jti", UUID.randomUUID().toString())
                .issuedAt(now).expiresAt(now.plusSeconds(600));
    }

    /** Signed with the server's own test key, so only the claims decide. */
    public static String sign(JwtClaimsBuilder claims) {
        return claims.jws().keyId("rime-test-1").sign();
    }

    /** Signed with a key the server does not know. */
    public static String signWithForeignKey(JwtClaimsBuilder claims) throws Exception {
        PrivateKey key = KeyUtils.decodePrivateKey(resource("test-keys/foreign-key.pem"));
        return claims.jws().keyId("rime-test-1").sign(key);
    }

    /** HS256 with the server's public key as the secret: the classic algorithm-confusion attack. */
    public static String hmacWithPublicKey(JwtClaimsBuilder claims) throws Exception {
        return claims.jws().keyId("rime-test-1").signWithSecret(resource("test-keys/signing-key.pub.pem"));
    }

    /** An unsigned token ({@code alg: none}). */
    public static String unsigned(String tenant) {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        long now = Instant.now().getEpochSecond();
        String payload = b64("{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"" + UUID.randomUUID()
                + "\",\"tenant\":\"" + tenant + "\",\"role\":\"admin\",\"groups\":[\"admin\",\"editor\",\"viewer\"],"
                + "\"iat\":" + now + ",\"exp\":" + (now + 600) + "}");
        return header + "." + payload + ".";
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String resource(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources", name));
    }
}
