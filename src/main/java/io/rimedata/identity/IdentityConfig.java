package io.rimedata.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of sessions, tokens and passwords. Signing keys are SmallRye JWT's own settings (see README). */
@ConfigMapping(prefix = "rime.identity")
public interface IdentityConfig {

    Jwt jwt();

    /** bcrypt cost factor for password hashes (2^cost rounds; the contract asks for at least 12 in production). */
    @WithDefault("12")
    int bcryptCost();

    /** Lifetime of a refresh-token chain: a session must log in again after this. */
    @WithDefault("30d")
    Duration sessionLifetime();

    Login login();

    /** Most API-key lookups (known and unknown keys) each replica caches; the least recently used are evicted. */
    @WithDefault("10000")
    long apiKeyCacheMaxEntries();

    Demo demo();

    /** Access tokens. */
    interface Jwt {
        /** {@code iss} of issued tokens, checked on every request. */
        @WithDefault("https://api.rimedata.io")
        String issuer();

        /** {@code aud} of issued tokens, checked on every request. */
        @WithDefault("rime-api")
        String audience();

        /** {@code kid} header of issued tokens; the JWKS lists the public key under this id. */
        @WithDefault("rime-1")
        String keyId();

        /** Signature algorithm: RS256 or ES256 (must match the configured keys). */
        @WithDefault("RS256")
        String algorithm();

        /** Lifetime of access tokens. */
        @WithDefault("1h")
        Duration accessTokenTtl();
    }

    /** Throttling of password guesses (logins and password changes) per account. */
    interface Login {
        /** Failed attempts allowed per account and client address (IPv6 /64) within the window; then 429. */
        @WithDefault("10")
        int maxFailures();

        /** Failed attempts allowed per account from all addresses together within the window; then 429. */
        @WithDefault("200")
        int maxFailuresPerAccount();

        /** Window over which failed logins are counted. */
        @WithDefault("15m")
        Duration failureWindow();
    }

    /** The demo tenant seeded by the local run command. */
    interface Demo {
        /** Seed tenant {@code acme} with {@code admin@acme.test} at start-up. */
        @WithDefault("false")
        boolean seed();

        /** Password of the demo admin (dev only). */
        @WithDefault("rime-demo-password")
        String password();
    }
}
