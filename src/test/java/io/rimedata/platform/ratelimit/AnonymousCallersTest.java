package io.rimedata.platform.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Callers without a valid credential spend a bucket of their own address, never their target tenant's quota. */
@QuarkusTest
@TestProfile(SmallBucketsProfile.class)
class AnonymousCallersTest {

    @Test
    void strangerWithoutCredentialsCannotDrainTheTenantsQuota() {
        TestTenant t = Api.newTenantWithoutLogin();
        List<Integer> stranger = new ArrayList<>();
        Response last = null;
        // twice the per-address bucket (30): half without a token, half with garbage or another tenant's token
        for (int i = 0; i < 30; i++) {
            stranger.add(Api.tenant(t.subdomain()).get("/projects").statusCode());
        }
        for (int i = 0; i < 30; i++) {
            last = Api.tenant(t.subdomain()).header("Authorization", "Bearer not-a-token-" + i).get("/projects");
            stranger.add(last.statusCode());
        }
        assertTrue(stranger.stream().allMatch(s -> s == 401 || s == 429), "stranger answers: " + stranger);
        Envelope.assertError(last, 429, "rate_limited");

        // the tenant's read bucket holds 50 and barely refills: every one of them is still there for its user
        for (int i = 0; i < 50; i++) {
            assertEquals(200, Api.as(t.admin()).get("/projects").statusCode(), "user request " + i);
        }
        assertEquals(429, Api.as(t.admin()).get("/projects").statusCode());
    }
}
