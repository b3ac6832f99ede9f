package io.rimedata.identity.token;

import io.rimedata.identity.IdentityConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * Revoked sessions, kept in Redis for as long as their access tokens can live, so that the request gate checks
 * revocation in the same round trip as rate limiting, on every replica, without a database query.
 */
@ApplicationScoped
public class Revocations {

    private final RedisAPI redis;
    private final long ttlSeconds;

    Revocations(RedisAPI redis, IdentityConfig config) {
        this.redis = redis;
        // a little beyond the token lifetime to cover the verifier's clock skew allowance
        this.ttlSeconds = config.jwt().accessTokenTtl().toSeconds() + 120;
    }

    public static String sessionKey(String sessionId) {
        return "rime:revoked:sid:" + sessionId;
    }

    public static String apiKeyKey(String keyId) {
        return "rime:revoked:key:" + keyId;
    }

    /**
     * Marks a revoked API key for every replica. The marker only has to outlive the replicas' lookup caches: after
     * that they read the key's revoked state from PostgreSQL.
     */
    public Uni<Void> revokeApiKey(UUID keyId, java.time.Duration ttl) {
        return redis.set(List.of(apiKeyKey(keyId.toString()), "1", "EX", Long.toString(ttl.toSeconds()))).replaceWithVoid();
    }

    public Uni<Void> revokeSession(UUID sessionId) {
        return redis.set(List.of(sessionKey(sessionId.toString()), "1", "EX", Long.toString(ttlSeconds))).replaceWithVoid();
    }
}
