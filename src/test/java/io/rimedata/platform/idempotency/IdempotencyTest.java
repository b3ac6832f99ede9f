package io.rimedata.platform.idempotency;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

    // ---- what is never stored, and whose namespace is whose ----------------------------------------------------

    private List<String> stored(String idempotencyKey) {
        return redis.key().keys("rime:idem:*:" + IdempotencyFilter.sha256(idempotencyKey));
    }

    @Test
    void loginAndRefreshResponsesAreNeverStoredOrReplayed() {
        TestTenant t = Api.newTenant();
        String key = "login-" + Api.randomId();
        Map<String, String> credentials = Map.of("email", "admin@" + t.subdomain() + ".test", "password", Api.PASSWORD);
        Response first = Api.tenant(t.subdomain()).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(credentials).post("/auth/login");
        first.then().statusCode(200);
        Response second = Api.tenant(t.subdomain()).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(credentials).post("/auth/login");
        second.then().statusCode(200).header("Idempotent-Replayed", nullValue());
        assertNotEquals(first.<String>path("access_token"), second.<String>path("access_token"));

        String refreshKey = "refresh-" + Api.randomId();
        Map<String, String> refresh = Map.of("refresh_token", second.path("refresh_token"));
        Api.tenant(t.subdomain()).contentType(ContentType.JSON).header("Idempotency-Key", refreshKey).body(refresh)
                .post("/auth/refresh").then().statusCode(200);
        // a replay would hand the new pair out again; the spent refresh token is refused instead
        Envelope.assertError(Api.tenant(t.subdomain()).contentType(ContentType.JSON).header("Idempotency-Key", refreshKey)
                .body(refresh).post("/auth/refresh"), 401, "unauthorized").header("Idempotent-Replayed", nullValue());
        assertEquals(List.of(), stored(key));
        assertEquals(List.of(), stored(refreshKey));
    }

    @Test
    void invitationAcceptAndApiKeyCreationAreNeverStored() {
        TestTenant t = Api.newTenant();
        String project = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "p")).post("/projects")
                .then().statusCode(201).extract().path("id");
        String key = "credential-" + Api.randomId();
        Response keyOne = Api.as(t.admin()).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("name", "ci", "role", "viewer")).post("/projects/" + project + "/api-keys");
        keyOne.then().statusCode(201);
        Response keyTwo = Api.as(t.admin()).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("name", "ci", "role", "viewer")).post("/projects/" + project + "/api-keys");
        keyTwo.then().statusCode(201).header("Idempotent-Replayed", nullValue());
        assertNotEquals(keyOne.<String>path("key"), keyTwo.<String>path("key"));

        String invitation = Api.as(t.admin()).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("email", "new@" + t.subdomain() + ".test", "role", "viewer")).post("/users")
                .then().statusCode(201).extract().path("invitation_token");
        Api.tenant(t.subdomain()).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("token", invitation, "password", "member-password-1", "first_name", "N", "last_name", "U"))
                .post("/auth/invitations/accept").then().statusCode(200).header("Idempotent-Replayed", nullValue());
        assertEquals(List.of(), stored(key));
    }

    @Test
    void anApiKeyNeverReplaysItsCreatorsResponses() {
        TestTenant t = Api.newTenant();
        String project = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "p")).post("/projects")
                .then().statusCode(201).extract().path("id");
        String apiKey = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "ci", "role", "editor"))
                .post("/projects/" + project + "/api-keys").then().statusCode(201).extract().path("key");
        String otherKey = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "ci2", "role", "editor"))
                .post("/projects/" + project + "/api-keys").then().statusCode(201).extract().path("key");
        String key = "pipeline-" + Api.randomId();
        Map<String, Object> body = Map.of("name", "nightly",
                "steps", List.of(Map.of("key", "a", "type", "wait", "config", Map.of("seconds", 0))));
        String path = "/projects/" + project + "/pipelines";
        Api.as(t.admin()).contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post(path)
                .then().statusCode(201);
        Response byKey = Api.tenant(t.subdomain()).header("Authorization", "Bearer " + apiKey)
                .contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post(path);
        assertNull(byKey.header("Idempotent-Replayed"), "the key got its creator's response: " + byKey.asString());
        Response byOtherKey = Api.tenant(t.subdomain()).header("Authorization", "Bearer " + otherKey)
                .contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post(path);
        assertNull(byOtherKey.header("Idempotent-Replayed"), "one key got another's response: " + byOtherKey.asString());
        assertEquals(3, stored(key).size(), "one record per caller: " + stored(key));
    }

    @Test
    void eachRunnerHasItsOwnNamespace() {
        TestTenant t = Api.newTenant();
        String first = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "a")).post("/runners")
                .then().statusCode(201).extract().path("token");
        String second = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "b")).post("/runners")
                .then().statusCode(201).extract().path("token");
        String key = "lease-" + Api.randomId();
        Api.tenant(t.subdomain()).header("Authorization", "Bearer " + first).header("Idempotency-Key", key)
                .post("/runner/jobs/lease").then().statusCode(204);
        Api.tenant(t.subdomain()).header("Authorization", "Bearer " + second).header("Idempotency-Key", key)
                .post("/runner/jobs/lease").then().statusCode(204).header("Idempotent-Replayed", nullValue());
        assertEquals(2, stored(key).size(), "one record per runner: " + stored(key));
    }

    @Test
    void callersWithoutACredentialGetNoIdempotencyRecord() {
        TestTenant t = Api.newTenant();
        String key = "anonymous-" + Api.randomId();
        for (int i = 0; i < 2; i++) {
            Envelope.assertError(Api.tenant(t.subdomain()).contentType(ContentType.JSON).header("Idempotency-Key", key)
                    .body(Map.of("name", "x")).post("/projects"), 401, "unauthorized")
                    .header("Idempotent-Replayed", nullValue());
        }
        assertEquals(List.of(), stored(key));
    }
}
