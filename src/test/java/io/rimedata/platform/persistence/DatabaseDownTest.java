package io.rimedata.platform.persistence;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(DatabaseDownProfile.class)
class DatabaseDownTest {

    @Test
    void answers503FastWithRetryAfter() {
        long start = System.nanoTime();
        Response r = Api.tenant("any-tenant").get("/projects");
        long millis = (System.nanoTime() - start) / 1_000_000;
        Envelope.assertError(r, 503, "service_unavailable").header("Retry-After", equalTo("1"));
        assertTrue(millis < 3000, "answered in " + millis + " ms");
    }

    @Test
    void readinessIsDown() {
        given().baseUri("http://localhost").port(Api.MANAGEMENT_PORT).get("/q/health/ready").then().statusCode(503);
    }
}
