package io.rimedata.platform.idempotency;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IdempotencyTest {

    @Inject
    RedisDataSource redis;

    private static Response post(TestTenant.Session session, String key, Object body) {
        return Api.as(session).contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/projects");
    }

    @Test
    void replayReturnsTheFirstResponseWithoutRunningAgain() {
        TestTenant t = Api.newTenant();
        Response first = post(t.admin(), "create-once", Map.of("name", "once"));
        first.then().statusCode(201);
        assertNull(first.header("Idempotent-Replayed"));
        Response again = post(t.admin(), "create-once", Map.of("name", "once"));
        again.then().statusCode(201).header("Idempotent-Replayed", equalTo("true"))
                .header("Location", equalTo(first.header("Location")))
                .header("ETag", equalTo(first.header("ETag")));
        assertEquals(first.asString(), again.asString());
        Api.as(t.admin()).get("/projects").then().body("data", hasSize(1));
    }

    @Test
    void clientErrorsAreReplayedToo() {
        TestTenant t = Api.newTenant();
        Response first = post(t.admin(), "bad-once", Map.of("name", ""));
        first.then().statusCode(400);
        Response again = post(t.admin(), "bad-once", Map.of("name", ""));
        again.then().statusCode(400).header("Idempotent-Replayed", equalTo("true"));
        assertEquals(first.asString(), again.asString());
    }

    @Test
    void sameKeyWithAnotherBodyIs422() {
        TestTenant t = Api.newTenant();
        post(t.admin(), "k", Map.of("name", "a")).then().statusCode(201);
        Envelope.assertError(post(t.admin(), "k", Map.of("name", "b")), 422, "unprocessable_entity");
    }

    @Test
    void keyStillInFlightIs409() {
        TestTenant t = Api.newTenant();
        String probe = "probe-" + Api.randomId();
        post(t.admin(), probe, Map.of("name", "probe")).then().statusCode(201);
        List<String> keys = redis.key().keys("rime:idem:*:" + IdempotencyFilter.sha256(probe));
        assertEquals(1, keys.size());
        String inFlightKey = keys.getFirst().replace(IdempotencyFilter.sha256(probe), IdempotencyFilter.sha256("busy"));
        redis.value(String.class).setex(inFlightKey, 30, "in_flight:whatever");
        Envelope.assertError(post(t.admin(), "busy", Map.of("name", "busy")), 409, "conflict");
    }

    @Test
    void keysAreScopedToTenantAndPrincipal() {
        TestTenant a = Api.newTenant();
        TestTenant b = Api.newTenant();
        post(a.admin(), "shared-key", Map.of("name", "x")).then().statusCode(201);
        post(b.admin(), "shared-key", Map.of("name", "x")).then().statusCode(201)
                .header("Idempotent-Replayed", org.hamcrest.Matchers.nullValue());
        var second = Api.login(a.subdomain(), "admin@" + a.subdomain() + ".test", Api.PASSWORD);
        // same user in another session is the same principal: replayed
        post(second, "shared-key", Map.of("name", "x")).then().statusCode(201).header("Idempotent-Replayed", equalTo("true"));
    }

    @Test
    void malformedKeyIs400() {
        TestTenant t = Api.newTenant();
        Envelope.assertError(post(t.admin(), "x".repeat(256), Map.of("name", "x")), 400, "validation_error")
                .body("error.details[0].field", equalTo("Idempotency-Key"));
    }
}
