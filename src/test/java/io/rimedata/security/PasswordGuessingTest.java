package io.rimedata.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.identity.service.LoginThrottle;
import io.rimedata.platform.error.RateLimited;
import io.rimedata.platform.tenancy.TenantRef;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Password guessing is throttled per account and client address, atomically, with a per-account ceiling; a stranger
 * cannot lock an account's owner out from another address; invitation tokens are checked before any hashing.
 */
@QuarkusTest
class PasswordGuessingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    LoginThrottle throttle;

    @Inject
    MeterRegistry registry;

    private static List<Integer> concurrently(int requests, java.util.function.Supplier<Response> call) throws Exception {
        return io.rimedata.support.Concurrently.statuses(requests, 30, call);
    }

    @Test
    void concurrentWrongPasswordsLetExactlyTheLimitThrough() throws Exception {
        TestTenant t = Api.newTenantWithoutLogin();
        String email = "admin@" + t.subdomain() + ".test";
        List<Integer> statuses = concurrently(30, () -> Api.tenant(t.subdomain()).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "wrong-guess")).post("/auth/login"));
        // exactly the limit reach the password check (a 503 here is a database pool refusal on a loaded machine)
        assertEquals(10, statuses.stream().filter(s -> s != 429).count(), statuses.toString());
        assertEquals(20, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
        Envelope.assertError(Api.tenant(t.subdomain()).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", Api.PASSWORD)).post("/auth/login"), 429, "rate_limited");
    }

    @Test
    void strangerExhaustingItsAddressDoesNotLockTheOwnerOut() {
        TenantRef tenant = new TenantRef(UUID.randomUUID(), "victim", "free");
        LoginThrottle.Subject stranger = LoginThrottle.Subject.login(tenant, "Owner@Victim.test", "203.0.113.9");
        for (int i = 0; i < 10; i++) {
            throttle.acquire(stranger).await().atMost(WAIT);
        }
        assertThrows(RateLimited.class, () -> throttle.acquire(stranger).await().atMost(WAIT));
        // the same account from the owner's address, and the stranger's address on another account, still pass
        throttle.acquire(LoginThrottle.Subject.login(tenant, "owner@victim.test", "198.51.100.7")).await().atMost(WAIT);
        throttle.acquire(LoginThrottle.Subject.login(tenant, "other@victim.test", "203.0.113.9")).await().atMost(WAIT);
    }

    @Test
    void addressesOfOneIpv6Slash64ShareTheirAllowance() {
        TenantRef tenant = new TenantRef(UUID.randomUUID(), "victim", "free");
        for (int i = 0; i < 10; i++) {
            throttle.acquire(LoginThrottle.Subject.login(tenant, "owner@victim.test", "2001:db8:7:7::" + Integer.toHexString(i + 1)))
                    .await().atMost(WAIT);
        }
        assertThrows(RateLimited.class, () -> throttle.acquire(
                LoginThrottle.Subject.login(tenant, "owner@victim.test", "2001:db8:7:7:ffff::1")).await().atMost(WAIT));
        throttle.acquire(LoginThrottle.Subject.login(tenant, "owner@victim.test", "2001:db8:7:8::1")).await().atMost(WAIT);
    }

    @Test
    void guessesSpreadOverManyAddressesStopAtTheAccountCeiling() {
        TenantRef tenant = new TenantRef(UUID.randomUUID(), "victim", "free");
        for (int i = 0; i < 200; i++) {
            throttle.acquire(LoginThrottle.Subject.login(tenant, "owner@victim.test", "198.18." + (i / 250) + "." + (i % 250)))
                    .await().atMost(WAIT);
        }
        assertThrows(RateLimited.class, () -> throttle.acquire(
                LoginThrottle.Subject.login(tenant, "owner@victim.test", "192.0.2.1")).await().atMost(WAIT));
    }

    @Test
    void successfulLoginGivesItsAttemptBack() {
        TenantRef tenant = new TenantRef(UUID.randomUUID(), "victim", "free");
        LoginThrottle.Subject owner = LoginThrottle.Subject.login(tenant, "owner@victim.test", "198.51.100.7");
        for (int i = 0; i < 30; i++) {
            throttle.acquire(owner).await().atMost(WAIT);
            throttle.succeeded(owner).await().atMost(WAIT);
        }
        throttle.acquire(owner).await().atMost(WAIT);
    }

    @Test
    void wrongCurrentPasswordsAreThrottledLikeLogins() {
        TestTenant t = Api.newTenant();
        for (int i = 0; i < 10; i++) {
            Envelope.assertError(Api.as(t.admin()).contentType(ContentType.JSON)
                    .body(Map.of("current_password", "wrong-guess-" + i, "new_password", "another-long-password"))
                    .post("/users/me/password"), 422, "unprocessable_entity");
        }
        Envelope.assertError(Api.as(t.admin()).contentType(ContentType.JSON)
                .body(Map.of("current_password", Api.PASSWORD, "new_password", "another-long-password"))
                .post("/users/me/password"), 429, "rate_limited");
    }

    @Test
    void badInvitationTokenCostsNoPasswordHashing() {
        TestTenant t = Api.newTenantWithoutLogin();
        double before = hashing();
        for (int i = 0; i < 5; i++) {
            Envelope.assertError(Api.tenant(t.subdomain()).contentType(ContentType.JSON)
                    .body(Map.of("token", "rin_not-a-real-invitation-" + i, "password", "long-enough-password",
                            "first_name", "Eve", "last_name", "Guess"))
                    .post("/auth/invitations/accept"), 401, "unauthorized");
        }
        assertEquals(before, hashing());

        String token = Api.as(t.admin()).contentType(ContentType.JSON)
                .body(Map.of("email", "real@" + t.subdomain() + ".test", "role", "viewer")).post("/users")
                .then().statusCode(201).extract().path("invitation_token");
        Api.tenant(t.subdomain()).contentType(ContentType.JSON)
                .body(Map.of("token", token, "password", "long-enough-password", "first_name", "Ray", "last_name", "Al"))
                .post("/auth/invitations/accept").then().statusCode(200);
        assertEquals(before + 1, hashing());
    }

    private double hashing() {
        return registry.counter("rime.password.hashing").count();
    }
}
