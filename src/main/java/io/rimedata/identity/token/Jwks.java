package io.rimedata.identity.token;

import io.rimedata.identity.IdentityConfig;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.util.KeyUtils;
import io.smallrye.jwt.util.ResourceUtils;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The public half of the token keys, as a JWKS. It is derived from the very keys the verifier uses
 * ({@code mp.jwt.verify.publickey[.location]}: a PEM key or a JWKS holding the current and previous keys during a
 * rotation), so what clients are told and what the server accepts cannot drift apart.
 */
// built at start-up so unreadable keys stop the server with a clear message instead of failing requests
@Startup
@ApplicationScoped
public class Jwks {

    private final String json;

    Jwks(IdentityConfig config) {
        this.json = publicJwks(config.jwt());
    }

    public String json() {
        return json;
    }

    private static String publicJwks(IdentityConfig.Jwt config) {
        var cfg = ConfigProvider.getConfig();
        // SmallRye JWT reports an unset inline key as "NONE"
        Optional<String> inline = cfg.getOptionalValue("mp.jwt.verify.publickey", String.class)
                .filter(s -> !s.isBlank() && !"NONE".equals(s));
        Optional<String> location = cfg.getOptionalValue("mp.jwt.verify.publickey.location", String.class)
                .filter(s -> !s.isBlank());
        try {
            String content = inline.isPresent() ? inline.get()
                    : location.isPresent() ? ResourceUtils.readResource(location.get()) : null;
            if (content == null) {
                return "{\"keys\":[]}";
            }
            if (content.trim().startsWith("{")) {
                JsonWebKeySet set = content.contains("\"keys\"") ? new JsonWebKeySet(content)
                        : new JsonWebKeySet(JsonWebKey.Factory.newJwk(content));
                return set.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
            }
            PublicKey key = KeyUtils.decodePublicKey(content, SignatureAlgorithm.fromAlgorithm(config.algorithm()));
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(key);
            jwk.setKeyId(config.keyId());
            jwk.setAlgorithm(config.algorithm());
            jwk.setUse("sig");
            return new JsonWebKeySet(jwk).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (IOException | GeneralSecurityException | JoseException e) {
            throw new IllegalStateException("The token verification keys cannot be read: " + e.getClass().getSimpleName(), e);
        }
    }
}
