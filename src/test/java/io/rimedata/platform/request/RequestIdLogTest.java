package io.rimedata.platform.request;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The request id of a response is in the log lines of that request, beside its tenant. */
@QuarkusTest
class RequestIdLogTest {

    @Test
    void logLinesCarryTheRequestIdAndTenant() {
        TestTenant t = Api.newTenant();
        Response r = Api.tenant(t.subdomain()).get("/test-support/failure");
        Envelope.assertError(r, 500, "internal_error");
        String id = r.header("X-Request-Id");
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            List<String> lines = Files.readAllLines(Path.of("target/quarkus-test.log")).stream()
                    .filter(line -> line.contains(id)).toList();
            assertTrue(!lines.isEmpty(), "a log line with " + id);
            assertTrue(lines.stream().allMatch(line -> line.contains(t.subdomain())), "with the tenant");
        });
    }

    @Test
    void everyKindOfResponseCarriesARequestId() {
        TestTenant t = Api.newTenant();
        for (Response r : List.of(Api.as(t.admin()).get("/projects"), Api.tenant(t.subdomain()).get("/projects"),
                Api.tenant(t.subdomain()).get("/nowhere"), Api.tenant("ghost-tenant").get("/projects"))) {
            assertTrue(r.header("X-Request-Id").matches(Envelope.REQUEST_ID), r.statusCode() + " has a request id");
        }
    }
}
