package io.rimedata.identity.token;

import io.quarkus.runtime.Startup;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.rimedata.platform.config.PlatformConfig;
import io.rimedata.platform.request.CallContext;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The platform operator's credential: a bearer token from configuration, accepted only on the operator's host and
 * granting only {@link CallContext#OPERATOR_ROLE}, which the operator resource requires. On that host it owns every
 * bearer token, so tenant credentials never authenticate there; elsewhere it stands aside. The comparison is of
 * digests in constant time, so neither the token's content nor its length leaks through timing.
 */
@ApplicationScoped
@Startup
public class OperatorAuthenticationMechanism extends BearerMechanism {

    /** Shortest operator token accepted at start-up (a 128-bit random value in hex is 32 characters). */
    public static final int MIN_TOKEN_LENGTH = 32;
    private static final String PRINCIPAL = "platform-operator";

    private final Optional<byte[]> tokenDigest;

    OperatorAuthenticationMechanism(PlatformConfig config) {
        this.tokenDigest = configuredToken(config.operatorToken()).map(OperatorAuthenticationMechanism::digest);
    }

    /** The configured token, refusing to start with one too short to resist guessing; blank means none. */
    static Optional<String> configuredToken(Optional<String> configured) {
        Optional<String> token = configured.map(String::trim).filter(t -> !t.isEmpty());
        if (token.isPresent() && token.get().length() < MIN_TOKEN_LENGTH) {
            throw new IllegalStateException("RIME_PLATFORM_OPERATOR_TOKEN (rime.platform.operator-token) must be at least "
                    + MIN_TOKEN_LENGTH + " characters long; generate one with: openssl rand -hex 32");
        }
        return token;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext rc, IdentityProviderManager identityProviderManager) {
        if (!CallContext.isOperatorHost(rc) || tokenDigest.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        String token = bearerToken(rc);
        if (token == null) {
            return Uni.createFrom().nullItem();
        }
        byte[] presented = digest(token);
        if (!MessageDigest.isEqual(presented, tokenDigest.get())) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(PRINCIPAL))
                .addRole(CallContext.OPERATOR_ROLE)
                .build());
    }

    /** Ahead of the API-key, runner and JWT mechanisms: on the operator's host no other credential is considered. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 200;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
