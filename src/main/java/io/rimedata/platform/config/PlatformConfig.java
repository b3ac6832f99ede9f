package io.rimedata.platform.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Settings of the request chain every call passes through. */
@ConfigMapping(prefix = "rime.platform")
public interface PlatformConfig {

    /** The domain under which tenants live: {@code acme.<base-domain>}; the bare domain is the operator host. */
    @WithDefault("localhost")
    String baseDomain();

    /** Bearer credential of the platform operator; without it the {@code /platform} routes do not exist. */
    Optional<String> operatorToken();

    /** This replica's name in the leases it takes on background work; default a random id per process. */
    Optional<String> replicaId();

    /** Largest JSON request body accepted, in bytes; larger bodies get 413. */
    @WithDefault("1048576")
    long maxJsonBodyBytes();

    /** HMAC key (base64, at least 32 bytes) that signs pagination cursors; all replicas must share it. */
    String cursorKey();

    /** How long a tenant lookup by host is cached in each replica. */
    @WithDefault("30s")
    Duration tenantCacheTtl();

    /** Most host lookups (known and unknown tenants) each replica caches; the least recently used are evicted. */
    @WithDefault("10000")
    long tenantCacheMaxEntries();

    RateLimits rateLimits();

    Database database();

    Idempotency idempotency();

    /** Token-bucket rate limits (§1.3). */
    interface RateLimits {

        /** Whether requests are limited at all. */
        @WithDefault("true")
        boolean enabled();

        /** Serve requests when Redis is unreachable (true) or answer 503 (false). */
        @WithDefault("true")
        boolean failOpen();

        /**
         * How long to wait for the gate's Redis reply before treating Redis as unreachable. Generous enough that a
         * burst queued on a busy event loop is not mistaken for an outage (which would fail open).
         */
        @WithDefault("1s")
        Duration redisTimeout();

        /** Policies per endpoint class of authenticated callers: read, write, action. */
        Map<String, Policy> classes();

        /** Per-endpoint overrides keyed by {@code "METHOD /template"}, e.g. {@code "GET /projects/{id}"}. */
        Map<String, Policy> routes();

        /** Multiplier applied to capacity and refill per tenant tier. */
        Map<String, Double> tierMultipliers();

        /**
         * Bucket per client address (IPv6 by /64) charged instead of the tenant's for callers without a valid
         * credential; the sign-in routes (login, refresh, invitation accept) have a second one of the same size.
         */
        Policy perIp();
    }

    /** Bounds on waiting for PostgreSQL, so an outage answers 503 fast. */
    interface Database {
        /** Requests allowed to wait for a pooled connection; beyond that they fail at once. */
        @WithDefault("256")
        int maxWaitQueue();

        /** Longest wait for a pooled connection. */
        @WithDefault("2s")
        Duration acquireTimeout();

        /** Longest wait to open a new connection. */
        @WithDefault("2s")
        Duration connectTimeout();
    }

    /** A token bucket: {@code capacity} tokens, refilled at {@code refill-per-second}. */
    interface Policy {
        int capacity();

        double refillPerSecond();
    }

    /** Idempotency-Key handling (§1.4). */
    interface Idempotency {
        /** How long a stored response is replayed. */
        @WithDefault("24h")
        Duration ttl();

        /** How long a request may hold its key before another attempt is allowed. */
        @WithDefault("60s")
        Duration inFlightTimeout();
    }
}
