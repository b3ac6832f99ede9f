package io.rimedata.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rimedata.platform.ratelimit.SmallBucketsProfile;
import io.rimedata.support.Api;
import io.rimedata.support.RawHttp;
import io.rimedata.support.TestTenant;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The operator's routes accept only the operator's credential, and guessing it is throttled per client address. */
@QuarkusTest
@TestProfile(SmallBucketsProfile.class)
class OperatorCredentialTest {

    private static Map<String, String> operatorHost(String token) {
        return Map.of("Host", "localhost:" + Api.HTTPS_PORT, "Authorization", "Bearer " + token);
    }

    @Test
    void guessesAreThrottledPerAddressWithoutTouchingTheOperatorsOwnBucket() throws IOException {
        // a fresh loopback address per run, so its bucket starts full
        String from = "127.0." + ThreadLocalRandom.current().nextInt(1, 255) + "." + ThreadLocalRandom.current().nextInt(2, 255);
        for (int i = 0; i < 30; i++) {
            assertEquals(401, RawHttp.tls(from, "GET", "/api/v1/platform/tenants", operatorHost("guess-" + i)).status());
        }
        RawHttp.Reply throttled = RawHttp.tls(from, "GET", "/api/v1/platform/tenants", operatorHost("guess-31"));
        assertEquals(429, throttled.status());
        assertTrue(throttled.head().toLowerCase().contains("retry-after:"), throttled.head());
        assertEquals(429, RawHttp.tls(from, "GET", "/api/v1/platform/tenants", Map.of("Host", "localhost:" + Api.HTTPS_PORT)).status());
        // the operator itself, even from that address, is not locked out
        assertEquals(200, RawHttp.tls(from, "GET", "/api/v1/platform/tenants?limit=1", operatorHost(Api.OPERATOR_TOKEN)).status());
    }

    @Test
    void tenantCredentialsDoNotAuthenticateOnTheOperatorHost() throws IOException {
        TestTenant t = Api.newTenantWithoutLogin();
        RawHttp.Reply reply = RawHttp.tls("GET", "/api/v1/platform/tenants", operatorHost(t.admin().accessToken()));
        assertEquals(401, reply.status());
        assertTrue(reply.body().contains("\"code\":\"unauthorized\""), reply.body());
    }
}
