package io.rimedata.identity.service;

import io.rimedata.identity.IdentityConfig;
import io.rimedata.platform.error.RateLimited;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Per-account brake on password guessing: after too many failures in the window the account answers 429 without
 * checking the password. (Per-IP limits are the gate's {@code login} policy.) Redis being down fails open.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final Logger LOG = Logger.getLogger(LoginThrottle.class);

    private final RedisAPI redis;
    private final IdentityConfig.Login config;

    LoginThrottle(RedisAPI redis, IdentityConfig config) {
        this.redis = redis;
        this.config = config.login();
    }

    private static String key(TenantRef tenant, String email) {
        return "rime:login-failures:" + tenant.id() + ":" + email.toLowerCase(Locale.ROOT);
    }

    public Uni<Void> checkAllowed(TenantRef tenant, String email) {
        return redis.get(key(tenant, email))
                .map(count -> count == null ? 0L : count.toLong())
                .onFailure().recoverWithItem(0L)
                .invoke(count -> {
                    if (count >= config.maxFailures()) {
                        throw new RateLimited("Too many failed logins for this account; try again later.",
                                config.failureWindow().toSeconds());
                    }
                })
                .replaceWithVoid();
    }

    public Uni<Void> recordFailure(TenantRef tenant, String email) {
        String key = key(tenant, email);
        return redis.incr(key)
                .chain(count -> count.toLong() == 1
                        ? redis.expire(List.of(key, Long.toString(config.failureWindow().toSeconds())))
                        : Uni.createFrom().nullItem())
                .replaceWithVoid()
                .onFailure().invoke(e -> LOG.debugf("Login failure not recorded: %s", e.toString()))
                .onFailure().recoverWithNull();
    }

    public Uni<Void> reset(TenantRef tenant, String email) {
        return redis.del(List.of(key(tenant, email))).replaceWithVoid().onFailure().recoverWithNull();
    }
}
