package io.rimedata.platform.egress;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Where tenants may point the server (connectors, REST sources, webhooks, OAuth) and how much it reads back. */
@ConfigMapping(prefix = "rime.egress")
public interface EgressConfig {

    /** Non-public CIDR blocks tenants may reach, each optionally with a port or range ({@code 10.1.0.0/16:5432}); none by default. */
    Optional<List<String>> allow();

    /** Bound on resolving one host name; a name not resolved in time counts as unresolved (refused when connecting). */
    @WithDefault("5s")
    Duration resolveTimeout();

    /** How long the resolved addresses of the platform's own PostgreSQL and Redis (always refused) are reused. */
    @WithDefault("60s")
    Duration platformRefresh();

    /** Largest response body read from one REST source page, in bytes. */
    @WithDefault("10485760")
    long maxRestPageBytes();

    /** Largest response body read from a webhook step's target, in bytes. */
    @WithDefault("65536")
    long maxWebhookResponseBytes();

    /** Largest response body read from an OAuth token endpoint, in bytes. */
    @WithDefault("65536")
    long maxTokenResponseBytes();
}
