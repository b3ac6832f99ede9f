package io.rimedata.identity.service;

import io.rimedata.identity.IdentityConfig;
import io.rimedata.platform.error.RateLimited;
import io.rimedata.platform.request.ClientAddress;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisAPI;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Brake on password guessing, per account and client address (IPv6 by /64), so that a stranger exhausting it does
 * not lock the account's owner out from elsewhere; a per-account ceiling far above it bounds guessing spread over
 * many addresses. An attempt takes its slot atomically before the password is checked (so concurrent guesses
 * cannot all pass a check made before any of them failed) and a success gives it back. Redis being down fails open.
 */
@ApplicationScoped
public class LoginThrottle {

    /** What is being guessed at: a login by email, or the current password of a signed-in user. */
    public record Subject(String kind, TenantRef tenant, String account, String address) {

        public static Subject login(TenantRef tenant, String email, String sourceIp) {
            return new Subject("login", tenant, email.toLowerCase(Locale.ROOT), ClientAddress.of(sourceIp));
        }

        public static Subject passwordChange(TenantRef tenant, UUID userId, String sourceIp) {
            return new Subject("password", tenant, userId.toString(), ClientAddress.of(sourceIp));
        }

        String accountKey() {
            return "rime:guard:" + kind + ":" + tenant.id() + ":" + account;
        }

        String addressKey() {
            return accountKey() + ":" + address;
        }
    }

    private static final Logger LOG = Logger.getLogger(LoginThrottle.class);

    /** Returns 0 when a slot was taken, else the seconds until one frees up. */
    private static final String ACQUIRE = """
            local per_address = tonumber(redis.call('GET', KEYS[1]) or '0')
            local per_account = tonumber(redis.call('GET', KEYS[2]) or '0')
            if per_address >= tonumber(ARGV[1]) then
              return math.max(1, redis.call('TTL', KEYS[1]))
            end
            if per_account >= tonumber(ARGV[2]) then
              return math.max(1, redis.call('TTL', KEYS[2]))
            end
            if redis.call('INCR', KEYS[1]) == 1 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
            if redis.call('INCR', KEYS[2]) == 1 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
            return 0""";

    private static final String RELEASE = """
            redis.call('DEL', KEYS[1])
            if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
            return 1""";

    private final RedisAPI redis;
    private final IdentityConfig.Login config;

    LoginThrottle(RedisAPI redis, IdentityConfig config) {
        this.redis = redis;
        this.config = config.login();
    }

    /** Takes an attempt's slot, or fails with 429 when this address or the whole account has used up the window. */
    public Uni<Void> acquire(Subject subject) {
        return redis.eval(List.of(ACQUIRE, "2", subject.addressKey(), subject.accountKey(),
                        Integer.toString(config.maxFailures()), Integer.toString(config.maxFailuresPerAccount()),
                        Long.toString(config.failureWindow().toSeconds())))
                .map(reply -> reply.toLong())
                .onFailure().invoke(e -> LOG.debugf("Attempt not counted: %s", e.toString()))
                .onFailure().recoverWithItem(0L)
                .invoke(retryAfter -> {
                    if (retryAfter > 0) {
                        throw new RateLimited("login".equals(subject.kind())
                                ? "Too many failed logins for this account; try again later."
                                : "Too many failed attempts to change the password; try again later.", retryAfter);
                    }
                })
                .replaceWithVoid();
    }

    /** The attempt succeeded: this address starts afresh and its slot goes back to the account. */
    public Uni<Void> succeeded(Subject subject) {
        return redis.eval(List.of(RELEASE, "2", subject.addressKey(), subject.accountKey()))
                .replaceWithVoid().onFailure().recoverWithNull();
    }
}
