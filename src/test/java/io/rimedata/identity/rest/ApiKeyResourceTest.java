package io.rimedata.identity.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApiKeyResourceTest {

    @Inject
    RedisDataSource redis;

    private static String project(TestTenant t, String name) {
        return Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", name)).post("/projects")
                .then().statusCode(201).extract().path("id");
    }

    private static Response create(TestTenant.Session session, String projectId, Map<String, Object> body) {
        return Api.as(session).contentType(ContentType.JSON).body(body).post("/projects/" + projectId + "/api-keys");
    }

    private static RequestSpecification withKey(TestTenant t, String key) {
        return Api.tenant(t.subdomain()).header("Authorization", "Bearer " + key);
    }

    @Test
    void keyIsShownOnceAndListedWithoutIt() {
        TestTenant t = Api.newTenant();
        String p = project(t, "keys");
        Response created = create(t.admin(), p, Map.of("name", "ci", "role", "editor"));
        created.then().statusCode(201).body("key", matchesPattern("rk_.{40,}")).body("role", equalTo("editor"))
                .body("last_used_at", nullValue());
        String key = created.path("key");
        Api.as(t.admin()).get("/projects/" + p + "/api-keys").then().statusCode(200)
                .body("data[0].name", equalTo("ci"))
                .body("data[0].prefix", equalTo(key.substring(0, 12)))
                .body("data[0].key", nullValue());
        assertFalse(Api.as(t.admin()).get("/projects/" + p + "/api-keys").asString().contains(key));
    }

    @Test
    void keyActsOnlyInsideItsProject() {
        TestTenant t = Api.newTenant();
        String mine = project(t, "mine");
        String other = project(t, "other");
        String key = create(t.admin(), mine, Map.of("name", "k", "role", "editor")).path("key");
        withKey(t, key).get("/projects/" + mine).then().statusCode(200);
        withKey(t, key).contentType(ContentType.JSON).body(Map.of("description", "by key")).patch("/projects/" + mine)
                .then().statusCode(200);
        Envelope.assertError(withKey(t, key).get("/projects/" + other), 404, "resource_not_found");
        Envelope.assertError(withKey(t, key).get("/projects"), 403, "forbidden");
        Envelope.assertError(withKey(t, key).get("/users/me"), 403, "forbidden");
    }

    @Test
    void keyRoleIsEnforcedAndCappedByItsCreator() {
        TestTenant t = Api.newTenant();
        String p = project(t, "roles");
        String viewerKey = create(t.admin(), p, Map.of("name", "ro", "role", "viewer")).path("key");
        withKey(t, viewerKey).get("/projects/" + p).then().statusCode(200);
        Envelope.assertError(withKey(t, viewerKey).contentType(ContentType.JSON).body(Map.of("description", "x"))
                .patch("/projects/" + p), 403, "forbidden");
        TestTenant.Session editor = Api.minted(t.subdomain(), "editor", Api.randomId());
        Envelope.assertError(create(editor, p, Map.of("name", "escalate", "role", "admin")), 403, "forbidden");
        create(editor, p, Map.of("name", "same", "role", "editor")).then().statusCode(201);
    }

    @Test
    void revocationTakesEffectOnTheNextRequest() {
        TestTenant t = Api.newTenant();
        String p = project(t, "revoke");
        Response created = create(t.admin(), p, Map.of("name", "k", "role", "viewer"));
        String key = created.path("key");
        withKey(t, key).get("/projects/" + p).then().statusCode(200);
        Api.as(t.admin()).delete("/projects/" + p + "/api-keys/" + created.path("id")).then().statusCode(204);
        Envelope.assertError(withKey(t, key).get("/projects/" + p), 401, "unauthorized");
        Envelope.assertError(Api.as(t.admin()).delete("/projects/" + p + "/api-keys/" + created.path("id")),
                404, "resource_not_found");
    }

    @Test
    void revocationIsSharedStateNotAPerProcessCache() {
        TestTenant t = Api.newTenant();
        String p = project(t, "shared");
        Response created = create(t.admin(), p, Map.of("name", "k", "role", "viewer"));
        String key = created.path("key");
        withKey(t, key).get("/projects/" + p).then().statusCode(200); // now in this replica's lookup cache
        // what another replica's revocation leaves behind: only the shared marker, which this replica has not seen
        redis.value(String.class).setex("rime:revoked:key:" + created.path("id"), 60, "1");
        Envelope.assertError(withKey(t, key).get("/projects/" + p), 401, "unauthorized");
    }

    @Test
    void expiredUnknownAndForeignKeysAre401() {
        TestTenant t = Api.newTenant();
        TestTenant other = Api.newTenant();
        String p = project(t, "exp");
        String soon = create(t.admin(), p, Map.of("name", "soon", "role", "viewer",
                "expires_at", Instant.now().plusSeconds(2).toString())).path("key");
        withKey(t, soon).get("/projects/" + p).then().statusCode(200);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                Envelope.assertError(withKey(t, soon).get("/projects/" + p), 401, "unauthorized"));
        Envelope.assertError(withKey(t, "rk_not-a-key").get("/projects/" + p), 401, "unauthorized");
        String key = create(t.admin(), p, Map.of("name", "k", "role", "viewer")).path("key");
        Envelope.assertError(withKey(other, key).get("/projects/" + p), 401, "unauthorized");
    }

    @Test
    void unknownProjectIs404AndPastExpiryIs400() {
        TestTenant t = Api.newTenant();
        Envelope.assertError(create(t.admin(), Api.randomId(), Map.of("name", "k", "role", "viewer")), 404, "resource_not_found");
        Envelope.assertError(Api.as(t.admin()).get("/projects/" + Api.randomId() + "/api-keys"), 404, "resource_not_found");
        String p = project(t, "past");
        Envelope.assertError(create(t.admin(), p, Map.of("name", "k", "role", "viewer", "expires_at", "2001-01-01T00:00:00Z")),
                400, "validation_error").body("error.details[0].field", equalTo("expires_at"));
    }

    // ---- a key never outlives its creator's right to make it --------------------------------------------------

    /** Invites and activates a user of the given role; returns their session. */
    private static TestTenant.Session member(TestTenant t, String role) {
        String email = role + "-" + Api.randomId().substring(0, 8) + "@" + t.subdomain() + ".test";
        String token = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("email", email, "role", role))
                .post("/users").then().statusCode(201).extract().path("invitation_token");
        Response accepted = Api.tenant(t.subdomain()).contentType(ContentType.JSON)
                .body(Map.of("token", token, "password", "member-password-1", "first_name", "Ed", "last_name", "Itor"))
                .post("/auth/invitations/accept");
        accepted.then().statusCode(200);
        return new TestTenant.Session(t.subdomain(), accepted.path("access_token"), accepted.path("refresh_token"));
    }

    private static String idOf(TestTenant.Session s) {
        return Api.as(s).get("/users/me").then().statusCode(200).extract().path("id");
    }

    private static void patchUser(TestTenant t, String userId, Map<String, Object> patch) {
        Api.as(t.admin()).contentType(ContentType.JSON).body(patch).patch("/users/" + userId).then().statusCode(200);
    }

    @Test
    void keyStopsWorkingWhenItsCreatorIsDeactivated() {
        TestTenant t = Api.newTenant();
        String p = project(t, "deactivated");
        TestTenant.Session editor = member(t, "editor");
        String key = create(editor, p, Map.of("name", "ci", "role", "editor")).then().statusCode(201).extract().path("key");
        withKey(t, key).get("/projects/" + p).then().statusCode(200);
        patchUser(t, idOf(editor), Map.of("status", "deactivated"));
        Envelope.assertError(withKey(t, key).get("/projects/" + p), 401, "unauthorized");
        Api.as(t.admin()).get("/projects/" + p + "/api-keys").then().statusCode(200).body("data.size()", equalTo(0));
    }

    @Test
    void keyStopsWorkingWhenItsCreatorIsRemoved() {
        TestTenant t = Api.newTenant();
        String p = project(t, "removed");
        TestTenant.Session editor = member(t, "editor");
        String key = create(editor, p, Map.of("name", "ci", "role", "viewer")).then().statusCode(201).extract().path("key");
        withKey(t, key).get("/projects/" + p).then().statusCode(200);
        Api.as(t.admin()).delete("/users/" + idOf(editor)).then().statusCode(204);
        Envelope.assertError(withKey(t, key).get("/projects/" + p), 401, "unauthorized");
    }

    @Test
    void keyStopsWorkingWhenItsCreatorIsDemotedBelowItsRoleButKeysAtTheNewRoleStay() {
        TestTenant t = Api.newTenant();
        String p = project(t, "demoted");
        TestTenant.Session editor = member(t, "editor");
        String editorKey = create(editor, p, Map.of("name", "rw", "role", "editor")).then().statusCode(201)
                .extract().path("key");
        String viewerKey = create(editor, p, Map.of("name", "ro", "role", "viewer")).then().statusCode(201)
                .extract().path("key");
        withKey(t, editorKey).get("/projects/" + p).then().statusCode(200);
        withKey(t, viewerKey).get("/projects/" + p).then().statusCode(200);
        patchUser(t, idOf(editor), Map.of("role", "viewer"));
        Envelope.assertError(withKey(t, editorKey).get("/projects/" + p), 401, "unauthorized");
        withKey(t, viewerKey).get("/projects/" + p).then().statusCode(200);
    }

    @Test
    void promotionAndChangesToOtherUsersLeaveKeysWorking() {
        TestTenant t = Api.newTenant();
        String p = project(t, "promoted");
        TestTenant.Session editor = member(t, "editor");
        TestTenant.Session bystander = member(t, "editor");
        String key = create(editor, p, Map.of("name", "ci", "role", "editor")).then().statusCode(201).extract().path("key");
        String editorId = idOf(editor);
        patchUser(t, editorId, Map.of("role", "admin"));
        withKey(t, key).get("/projects/" + p).then().statusCode(200);
        patchUser(t, idOf(bystander), Map.of("status", "deactivated"));
        withKey(t, key).get("/projects/" + p).then().statusCode(200);
        // from admin back down to the key's own role: the creator still vouches for it
        patchUser(t, editorId, Map.of("role", "editor"));
        withKey(t, key).contentType(ContentType.JSON).body(Map.of("description", "still mine")).patch("/projects/" + p)
                .then().statusCode(200);
    }

    @Test
    void theCreatorIsCheckedWhenTheKeyIsUsedNotOnlyWhenTheCreatorChanges() throws java.sql.SQLException {
        TestTenant t = Api.newTenant();
        String p = project(t, "on-use");
        TestTenant.Session editor = member(t, "editor");
        String editorId = idOf(editor);
        String demoted = create(editor, p, Map.of("name", "rw", "role", "editor")).then().statusCode(201)
                .extract().path("key");
        String deactivated = create(t.admin(), p, Map.of("name", "admin-made", "role", "viewer")).then().statusCode(201)
                .extract().path("key");
        String adminId = idOf(t.admin());
        // the users change behind the service's back (no revocation): neither key has been used, so none is cached
        sql("update users set role = 'viewer' where id = '" + editorId + "'");
        sql("update users set status = 'deactivated' where id = '" + adminId + "'");
        Envelope.assertError(withKey(t, demoted).get("/projects/" + p), 401, "unauthorized");
        Envelope.assertError(withKey(t, deactivated).get("/projects/" + p), 401, "unauthorized");
    }

    private static void sql(String statement) throws java.sql.SQLException {
        try (var connection = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/"
                + System.getProperty("rime.test.database", "rime_test"), "postgres", "");
                var st = connection.createStatement()) {
            st.executeUpdate(statement);
        }
    }
}
