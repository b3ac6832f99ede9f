package io.rimedata.platform.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rimedata.platform.config.PlatformConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Idempotency records in Redis. A key is claimed atomically ({@code SET NX}) with an in-flight marker that
 * expires, so a crashed request frees its key; completion replaces it with the stored response for the TTL.
 * With Redis unreachable the request simply runs (the same fail-open stance as rate limiting).
 */
@ApplicationScoped
public class IdempotencyStore {

    private static final Logger LOG = Logger.getLogger(IdempotencyStore.class);
    private static final String IN_FLIGHT = "in_flight:";

    public sealed interface Outcome {
        record Claimed() implements Outcome {
        }

        record InFlight() implements Outcome {
        }

        record Mismatch() implements Outcome {
        }

        record Replay(StoredResponse stored) implements Outcome {
        }

        record Unavailable() implements Outcome {
        }
    }

    private final RedisAPI redis;
    private final ObjectMapper mapper;
    private final long ttlMillis;
    private final long inFlightMillis;

    IdempotencyStore(RedisAPI redis, ObjectMapper mapper, PlatformConfig config) {
        this.redis = redis;
        this.mapper = mapper;
        this.ttlMillis = config.idempotency().ttl().toMillis();
        this.inFlightMillis = config.idempotency().inFlightTimeout().toMillis();
    }

    public Uni<Outcome> claim(String key, String fingerprint) {
        return redis.set(List.of(key, IN_FLIGHT + fingerprint, "NX", "PX", Long.toString(inFlightMillis)))
                .chain(set -> set != null ? Uni.createFrom().item((Outcome) new Outcome.Claimed())
                        : redis.get(key).map(existing -> existing == null ? new Outcome.InFlight() : judge(existing.toString(), fingerprint)))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Idempotency store unavailable (%s); processing without it", failure.toString());
                    return new Outcome.Unavailable();
                });
    }

    public Uni<Void> complete(String key, StoredResponse response) {
        try {
            String value = mapper.writeValueAsString(response);
            return redis.set(List.of(key, value, "PX", Long.toString(ttlMillis))).replaceWithVoid()
                    .onFailure().recoverWithNull();
        } catch (JsonProcessingException e) {
            return release(key);
        }
    }

    public Uni<Void> release(String key) {
        return redis.del(List.of(key)).replaceWithVoid().onFailure().recoverWithNull();
    }

    private Outcome judge(String existing, String fingerprint) {
        if (existing.startsWith(IN_FLIGHT)) {
            return new Outcome.InFlight();
        }
        try {
            StoredResponse stored = mapper.readValue(existing, StoredResponse.class);
            return stored.fingerprint().equals(fingerprint) ? new Outcome.Replay(stored) : new Outcome.Mismatch();
        } catch (JsonProcessingException e) {
            return new Outcome.InFlight();
        }
    }
}
