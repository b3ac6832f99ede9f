package io.rimedata.platform.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.rimedata.support.Api;
import io.rimedata.support.LocalRedis;
import org.junit.jupiter.api.Test;

/** Health and metrics live on the management port, over plain HTTP, for probes and scrapers. */
@QuarkusTest
class HealthTest {

    @Test
    void readyOnceTheApiListenersAcceptConnections() {
        given().baseUri("http://localhost").port(Api.MANAGEMENT_PORT).get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("api-listeners"));
    }

    @Test
    void aRedisOutageDoesNotTakeThePodOutOfReadiness() {
        LocalRedis.stop();
        try {
            // requests are still served (the limiter fails open), so the pod must keep receiving them
            given().baseUri("http://localhost").port(Api.MANAGEMENT_PORT).get("/q/health/ready").then().statusCode(200);
        } finally {
            LocalRedis.start();
        }
    }

    @Test
    void prometheusMetricsAreExposed() {
        given().baseUri("http://localhost").port(Api.MANAGEMENT_PORT).get("/q/metrics").then().statusCode(200);
    }
}
