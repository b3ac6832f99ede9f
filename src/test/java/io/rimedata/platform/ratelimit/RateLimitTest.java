package io.rimedata.platform.ratelimit;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.LocalRedis;
import io.rimedata.support.TestTenant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(SmallBucketsProfile.class)
class RateLimitTest {

    private static List<Integer> concurrently(int requests, java.util.function.Supplier<Response> call) throws Exception {
        return io.rimedata.support.Concurrently.statuses(requests, 32, call);
    }

    @Test
    void admitsExactlyTheBucketCapacityOutOfTwoHundredConcurrentRequests() throws Exception {
        TestTenant t = Api.newTenantWithoutLogin();
        List<Integer> statuses = concurrently(200, () -> Api.as(t.admin()).get("/projects"));
        assertEquals(50, statuses.stream().filter(s -> s == 200).count());
        assertEquals(150, statuses.stream().filter(s -> s == 429).count());
        Response limited = Api.as(t.admin()).get("/projects");
        Envelope.assertError(limited, 429, "rate_limited")
                .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .header("RateLimit", matchesPattern("limit=50, remaining=0, reset=\\d+"))
                .header("RateLimit-Policy", equalTo("50;w=50000"));
    }

    @Test
    void tenantsAndRoutesDoNotShareQuota() throws Exception {
        TestTenant a = Api.newTenantWithoutLogin();
        TestTenant b = Api.newTenantWithoutLogin();
        String id = Api.as(a.admin()).contentType(ContentType.JSON).body(Map.of("name", "quota")).post("/projects")
                .then().statusCode(201).extract().path("id");
        List<Integer> statuses = concurrently(60, () -> Api.as(a.admin()).get("/projects"));
        assertTrue(statuses.contains(429), "tenant A exhausted GET /projects");
        Api.as(b.admin()).get("/projects").then().statusCode(200);
        Api.as(a.admin()).get("/projects/" + id).then().statusCode(200);
    }

    @Test
    void notModifiedAnswersDoNotCountAgainstTheLimit() {
        TestTenant t = Api.newTenantWithoutLogin();
        Response created = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "cached"))
                .post("/projects");
        String path = "/projects/" + created.path("id");
        for (int i = 0; i < 60; i++) {
            Api.as(t.admin()).header("If-None-Match", created.header("ETag")).get(path).then().statusCode(304);
        }
        Api.as(t.admin()).get(path).then().statusCode(200);
    }

    @Test
    void unauthenticatedLoginsAreLimitedPerClientIp() {
        TestTenant t = Api.newTenantWithoutLogin();
        int unauthorized = 0;
        Response limited = null;
        for (int i = 0; i < 40 && limited == null; i++) {
            Response r = Api.tenant(t.subdomain()).contentType(ContentType.JSON)
                    .body(Map.of("email", "nobody" + i + "@x.test", "password", "wrong-password")).post("/auth/login");
            if (r.statusCode() == 429) {
                limited = r;
            } else {
                assertEquals(401, r.statusCode());
                unauthorized++;
            }
        }
        assertTrue(limited != null && unauthorized <= 30, "the per-IP login bucket (30) ran out");
        Envelope.assertError(limited, 429, "rate_limited");
    }

    @Test
    void requestsAreServedWhileRedisIsDown() {
        TestTenant t = Api.newTenantWithoutLogin();
        Api.as(t.admin()).get("/projects").then().statusCode(200);
        LocalRedis.stop();
        try {
            for (int i = 0; i < 5; i++) {
                Api.as(t.admin()).get("/projects").then().statusCode(200);
            }
            Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "while-redis-down")).post("/projects")
                    .then().statusCode(201);
        } finally {
            LocalRedis.start();
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() ->
                Api.as(t.admin()).get("/projects").then().statusCode(200).header("RateLimit", matchesPattern("limit=50.*")));
    }
}
