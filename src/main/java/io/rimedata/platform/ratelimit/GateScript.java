package io.rimedata.platform.ratelimit;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;

/** Runs {@code lua/gate.lua}: session revocation and every token bucket of a request in one atomic call. */
@ApplicationScoped
public class GateScript {

    /** What the script decided. */
    public record Verdict(boolean revoked, boolean allowed, long remaining, long retryAfterMillis, long resetSeconds) {
    }

    /** A bucket to take one token from. */
    public record BucketKey(String key, RateLimitPolicies.Bucket bucket) {
    }

    private static final Logger LOG = Logger.getLogger(GateScript.class);

    private static final String REFUND = """
            local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens'))
            if tokens ~= nil then
              redis.call('HSET', KEYS[1], 'tokens', tostring(math.min(tonumber(ARGV[1]), tokens + 1)))
            end
            return 1""";

    private final RedisAPI redis;
    private final String script;
    private final String sha;

    GateScript(RedisAPI redis) {
        this.redis = redis;
        this.script = load("lua/gate.lua");
        this.sha = sha1(script);
    }

    /** Loads the script at start-up, which also opens the first Redis connections before traffic arrives. */
    void warmUp(@Observes StartupEvent event) {
        redis.script(List.of("LOAD", script)).subscribe().with(
                loaded -> LOG.debugf("Gate script loaded as %s", loaded),
                failure -> LOG.warnf("Redis not reachable at start-up (%s); requests fail open until it is", failure.toString()));
    }

    public Uni<Verdict> run(String revocationKey, List<BucketKey> buckets) {
        List<String> args = new ArrayList<>(4 + buckets.size() * 3);
        args.add(sha);
        args.add(Integer.toString(1 + buckets.size()));
        args.add(revocationKey == null ? "" : revocationKey);
        for (BucketKey b : buckets) {
            args.add(b.key());
        }
        for (BucketKey b : buckets) {
            args.add(Integer.toString(b.bucket().capacity()));
            args.add(Double.toString(b.bucket().refillPerSecond()));
        }
        return redis.evalsha(args)
                .onFailure(GateScript::isNoScript).recoverWithUni(() -> {
                    List<String> evalArgs = new ArrayList<>(args);
                    evalArgs.set(0, script);
                    return redis.eval(evalArgs);
                })
                .map(GateScript::verdict);
    }

    /** Returns one token to a bucket, never above its capacity. */
    public Uni<Void> refund(BucketKey bucket) {
        return redis.eval(List.of(REFUND, "1", bucket.key(), Integer.toString(bucket.bucket().capacity()))).replaceWithVoid();
    }

    private static Verdict verdict(Response r) {
        return new Verdict(r.get(0).toLong() == 1, r.get(1).toLong() == 1, r.get(2).toLong(), r.get(3).toLong(),
                r.get(4).toLong());
    }

    private static boolean isNoScript(Throwable t) {
        return t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT");
    }

    static String load(String resource) {
        try (InputStream in = GateScript.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
