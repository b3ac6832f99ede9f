package io.rimedata.identity.token;

import io.rimedata.identity.IdentityConfig;
import io.rimedata.identity.Role;
import io.rimedata.platform.request.Ulid;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** Signs access tokens with the configured private key (SmallRye JWT {@code smallrye.jwt.sign.key*}). */
@ApplicationScoped
public class AccessTokens {

    private final IdentityConfig.Jwt config;
    private final SignatureAlgorithm algorithm;

    AccessTokens(IdentityConfig config) {
        this.config = config.jwt();
        this.algorithm = SignatureAlgorithm.fromAlgorithm(this.config.algorithm());
    }

    public long ttlSeconds() {
        return config.accessTokenTtl().toSeconds();
    }

    public String issue(String tenantSubdomain, UUID userId, Role role, UUID sessionId) {
        Instant now = Instant.now();
        return Jwt.issuer(config.issuer())
                .audience(config.audience())
                .subject(userId.toString())
                .claim("tenant", tenantSubdomain)
                .claim("role", role.wireName())
                .groups(role.groups())
                .claim("sid", sessionId.toString())
                .claim("jti", Ulid.next())
                .issuedAt(now)
                .expiresAt(now.plus(config.accessTokenTtl()))
                .jws()
                .keyId(config.keyId())
                .algorithm(algorithm)
                .sign();
    }
}
