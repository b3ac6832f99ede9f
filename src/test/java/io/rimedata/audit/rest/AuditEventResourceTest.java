package io.rimedata.audit.rest;

import static io.rimedata.audit.AuditFixtures.as;
import static io.rimedata.audit.AuditFixtures.auditor;
import static io.rimedata.audit.AuditFixtures.awaitEntries;
import static io.rimedata.audit.AuditFixtures.entries;
import static io.rimedata.audit.AuditFixtures.provision;
import static io.rimedata.audit.AuditFixtures.token;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.audit.AuditFixtures;
import io.rimedata.audit.AuditFixtures.Tenant;
import io.rimedata.audit.AuditProbe;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuditEventResourceTest {

    private static final String SECRET_1 = "sf-audit-secret-first";
    private static final String SECRET_2 = "sf-audit-secret-second";
    private static final String SECRET_3 = "aws-audit-secret-third";

    private static Response login(Tenant t) {
        Response r = Api.tenant(t.subdomain()).contentType(ContentType.JSON)
                .body(Map.of("email", t.adminEmail(), "password", Api.PASSWORD)).post("/auth/login");
        r.then().statusCode(200);
        return r;
    }

    private static TestTenant.Session session(Tenant t, Response login) {
        return new TestTenant.Session(t.subdomain(), login.path("access_token"), login.path("refresh_token"));
    }

    private static Map<String, Object> snowflakeProject(String name, String password) {
        return Map.of("name", name, "description", "first", "settings", Map.of(
                "snowflake", Map.of("account", "xy12345", "auth_method", "password", "username", "loader",
                        "password", password)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static List<String> actions(List<Map<String, Object>> entries) {
        return entries.stream().map(e -> (String) e.get("action")).toList();
    }

    // ---- what is recorded -------------------------------------------------------------------------------------

    @Test
    void recordsLoginProjectLifecycleAndLogoutInOrder() {
        Tenant t = provision();
        Response login = login(t);
        TestTenant.Session admin = session(t, login);
        Response created = Api.as(admin).contentType(ContentType.JSON).body(snowflakeProject("Lifecycle", SECRET_1))
                .post("/projects");
        created.then().statusCode(201);
        String projectId = created.path("id");
        Response patched = Api.as(admin).contentType("application/merge-patch+json")
                .body(Map.of("description", "second", "settings", Map.of("snowflake", Map.of("password", SECRET_2))))
                .patch("/projects/" + projectId);
        patched.then().statusCode(200);
        Response deleted = Api.as(admin).delete("/projects/" + projectId);
        deleted.then().statusCode(204);
        Response logout = Api.as(admin).post("/auth/logout");
        logout.then().statusCode(204);

        List<Map<String, Object>> newestFirst = awaitEntries(t, 7);

        assertEquals(List.of("logout", "resource.deleted", "resource.modified", "resource.created", "login.succeeded",
                "resource.created", "resource.created"), actions(newestFirst), "exactly these entries, newest first");
        List<String> ids = newestFirst.stream().map(e -> (String) e.get("id")).toList();
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i - 1).compareTo(ids.get(i)) > 0, "ids descend: " + ids);
        }
        Map<String, Object> tenantCreated = newestFirst.get(6);
        Map<String, Object> userCreated = newestFirst.get(5);
        Map<String, Object> loggedIn = newestFirst.get(4);
        Map<String, Object> projectCreated = newestFirst.get(3);
        Map<String, Object> projectModified = newestFirst.get(2);
        Map<String, Object> projectDeleted = newestFirst.get(1);
        Map<String, Object> loggedOut = newestFirst.get(0);

        assertEquals(Map.of("type", "tenant", "id", t.id(), "name", "Tenant " + t.subdomain()), tenantCreated.get("resource"));
        assertEquals(Map.of("type", "user", "id", t.adminId(), "name", t.adminEmail()), userCreated.get("resource"));
        for (Map<String, Object> byOperator : List.of(tenantCreated, userCreated)) {
            assertEquals("operator", map(byOperator.get("actor")).get("type"));
            assertEquals(t.provisionRequestId(), byOperator.get("request_id"));
            assertEquals("resource", byOperator.get("category"));
        }
        assertEquals("admin", map(map(userCreated.get("changes")).get("role")).get("after"));
        assertFalse(map(userCreated.get("changes")).containsKey("password_hash"));

        Map<String, Object> adminActor = new HashMap<>();
        adminActor.put("type", "user");
        adminActor.put("id", t.adminId());
        adminActor.put("email", t.adminEmail());
        for (Map<String, Object> byAdmin : List.of(loggedIn, projectCreated, projectModified, projectDeleted, loggedOut)) {
            assertEquals(adminActor, byAdmin.get("actor"), byAdmin.get("action") + " names the admin");
            assertEquals("127.0.0.1", byAdmin.get("source_ip"));
            assertEquals("success", byAdmin.get("outcome"));
        }
        assertEquals(login.header("X-Request-Id"), loggedIn.get("request_id"));
        assertEquals(created.header("X-Request-Id"), projectCreated.get("request_id"));
        assertEquals(patched.header("X-Request-Id"), projectModified.get("request_id"));
        assertEquals(deleted.header("X-Request-Id"), projectDeleted.get("request_id"));
        assertEquals(logout.header("X-Request-Id"), loggedOut.get("request_id"));
        assertEquals("auth", loggedIn.get("category"));
        assertEquals("session", map(loggedIn.get("resource")).get("type"));
        assertEquals(map(loggedIn.get("resource")).get("id"), map(loggedOut.get("resource")).get("id"),
                "logout names the session the login opened");

        for (Map<String, Object> onProject : List.of(projectCreated, projectModified, projectDeleted)) {
            assertEquals(projectId, onProject.get("project_id"));
            assertEquals(Map.of("type", "project", "id", projectId, "name", "Lifecycle"), onProject.get("resource"));
        }
        assertNull(loggedIn.get("project_id"));
        assertTrue(loggedIn.containsKey("project_id"), "absent values are explicit nulls");

        Map<String, Object> createdChanges = map(projectCreated.get("changes"));
        assertNull(map(createdChanges.get("name")).get("before"));
        assertEquals("Lifecycle", map(createdChanges.get("name")).get("after"));
        assertEquals("[redacted]", map(createdChanges.get("settings.snowflake.password")).get("after"));
        Map<String, Object> modifiedChanges = map(projectModified.get("changes"));
        assertEquals(Set.of("description", "settings.snowflake.password"), modifiedChanges.keySet());
        assertEquals("first", map(modifiedChanges.get("description")).get("before"));
        assertEquals("second", map(modifiedChanges.get("description")).get("after"));
        assertEquals("[redacted]", map(modifiedChanges.get("settings.snowflake.password")).get("before"));
        assertEquals("[redacted]", map(modifiedChanges.get("settings.snowflake.password")).get("after"));
        Map<String, Object> deletedChanges = map(projectDeleted.get("changes"));
        assertEquals("second", map(deletedChanges.get("description")).get("before"));
        assertNull(map(deletedChanges.get("description")).get("after"));
    }

    @Test
    void namesAnApiKeyAsTheActor() {
        Tenant t = provision();
        TestTenant.Session admin = session(t, login(t));
        String projectId = Api.as(admin).contentType(ContentType.JSON).body(Map.of("name", "Keyed")).post("/projects")
                .then().statusCode(201).extract().path("id");
        Response key = Api.as(admin).contentType(ContentType.JSON).body(Map.of("name", "ci", "role", "editor"))
                .post("/projects/" + projectId + "/api-keys");
        key.then().statusCode(201);
        Api.tenant(t.subdomain()).header("Authorization", "Bearer " + key.path("key")).contentType(ContentType.JSON)
                .body(Map.of("description", "by key")).patch("/projects/" + projectId).then().statusCode(200);

        awaitEntries(t, 5);

        Map<String, Object> byKey = auditor(t).queryParam("action", "resource.modified").get("/audit-events")
                .then().statusCode(200).extract().path("data[0]");
        Map<String, Object> actor = new HashMap<>();
        actor.put("type", "api_key");
        actor.put("id", key.path("id"));
        actor.put("email", null);
        assertEquals(actor, byKey.get("actor"));
    }

    @Test
    void recordsFailedLoginsAndRefreshTokenTheft() {
        Tenant t = provision();
        Api.tenant(t.subdomain()).contentType(ContentType.JSON)
                .body(Map.of("email", t.adminEmail(), "password", "not-the-password")).post("/auth/login")
                .then().statusCode(401);
        Api.tenant(t.subdomain()).contentType(ContentType.JSON)
                .body(Map.of("email", "my-password-typed-here", "password", "x")).post("/auth/login")
                .then().statusCode(401);
        String refresh = login(t).path("refresh_token");
        Api.tenant(t.subdomain()).contentType(ContentType.JSON).body(Map.of("refresh_token", refresh))
                .post("/auth/refresh").then().statusCode(200);
        Response theft = Api.tenant(t.subdomain()).contentType(ContentType.JSON).body(Map.of("refresh_token", refresh))
                .post("/auth/refresh");
        theft.then().statusCode(401);

        List<Map<String, Object>> newestFirst = awaitEntries(t, 6);

        assertEquals(List.of("session.revoked", "login.succeeded", "login.failed", "login.failed"),
                actions(newestFirst.subList(0, 4)));
        Map<String, Object> revoked = newestFirst.get(0);
        assertEquals("system", map(revoked.get("actor")).get("type"));
        assertEquals(theft.header("X-Request-Id"), revoked.get("request_id"));
        assertEquals(map(newestFirst.get(1).get("resource")).get("id"), map(revoked.get("resource")).get("id"));
        assertEquals("refresh_token_reuse", map(map(revoked.get("changes")).get("revoked_reason")).get("after"));
        Map<String, Object> unknownAccount = newestFirst.get(2);
        Map<String, Object> wrongPassword = newestFirst.get(3);
        assertEquals("failure", wrongPassword.get("outcome"));
        assertEquals(t.adminId(), map(wrongPassword.get("actor")).get("id"));
        assertEquals(t.adminEmail(), map(wrongPassword.get("actor")).get("email"));
        assertEquals("failure", unknownAccount.get("outcome"));
        assertNull(map(unknownAccount.get("actor")).get("email"), "an unknown account's name is not kept");
        assertFalse(auditor(t).get("/audit-events").asString().contains("my-password-typed-here"));
    }

    @Test
    void aRolledBackTransactionLeavesNoEntry() {
        Tenant t = provision();
        String lost = "lost-" + Api.randomId();
        String kept = "kept-" + Api.randomId();
        Envelope.assertError(Api.tenant(t.subdomain()).queryParam("marker", lost).post("/test-support/audit-probe/rollback"),
                409, "conflict");
        Api.tenant(t.subdomain()).queryParam("marker", kept).post("/test-support/audit-probe/commit")
                .then().statusCode(204);
        String editor = token(t, "editor");
        as(t, editor).contentType(ContentType.JSON).body(Map.of("name", "Once")).post("/projects").then().statusCode(201);
        as(t, editor).contentType(ContentType.JSON).body(Map.of("name", "ONCE")).post("/projects").then().statusCode(409);
        as(t, editor).contentType(ContentType.JSON).body(Map.of("name", "After")).post("/projects").then().statusCode(201);

        List<Map<String, Object>> newestFirst = awaitEntries(t, 5);

        assertEquals(List.of("resource.created", "resource.created", AuditProbe.COMMITTED), actions(newestFirst.subList(0, 3)));
        assertEquals(kept, map(newestFirst.get(2).get("resource")).get("name"));
        assertEquals(List.of("After", "Once"), newestFirst.subList(0, 2).stream()
                .map(e -> map(e.get("resource")).get("name")).toList());
        assertFalse(actions(newestFirst).contains(AuditProbe.ROLLED_BACK));
        assertTrue(AuditFixtures.storedTexts(t).stream().noneMatch(text -> text.contains(lost)));
        assertEquals(0, AuditFixtures.outboxRows(t), "nothing is left waiting either");
    }

    @Test
    void changesNeverContainASecretValue() {
        Tenant t = provision();
        TestTenant.Session admin = session(t, login(t));
        String id = Api.as(admin).contentType(ContentType.JSON).body(Map.of("name", "Secrets", "settings", Map.of(
                "snowflake", Map.of("account", "xy1", "auth_method", "password", "username", "u", "password", SECRET_1),
                "aws", Map.of("region", "ap-southeast-2", "access_method", "access_key",
                        "access_key_id", "AKIAABCDEFGHIJKLMNOP", "secret_access_key", SECRET_3))))
                .post("/projects").then().statusCode(201).extract().path("id");
        Api.as(admin).contentType(ContentType.JSON)
                .body(Map.of("settings", Map.of("snowflake", Map.of("password", SECRET_2))))
                .patch("/projects/" + id).then().statusCode(200);
        Api.as(admin).contentType(ContentType.JSON).body("{\"settings\":{\"aws\":null}}")
                .patch("/projects/" + id).then().statusCode(200);
        Api.as(admin).contentType(ContentType.JSON).body(Map.of("description", "unrelated"))
                .patch("/projects/" + id).then().statusCode(200);

        List<Map<String, Object>> newestFirst = awaitEntries(t, 7);

        String body = auditor(t).queryParam("resource_id", id).get("/audit-events").then().statusCode(200)
                .extract().asString();
        for (String secret : List.of(SECRET_1, SECRET_2, SECRET_3)) {
            assertFalse(body.contains(secret), "the response shows no secret");
            assertTrue(AuditFixtures.storedTexts(t).stream().noneMatch(text -> text.contains(secret)),
                    "nor does anything stored");
        }
        Map<String, Object> passwordChanged = map(newestFirst.get(2).get("changes"));
        assertEquals(Set.of("settings.snowflake.password"), passwordChanged.keySet());
        assertEquals(Map.of("before", "[redacted]", "after", "[redacted]"), passwordChanged.get("settings.snowflake.password"));
        Map<String, Object> awsRemoved = map(newestFirst.get(1).get("changes"));
        assertEquals("[redacted]", map(awsRemoved.get("settings.aws.secret_access_key")).get("before"));
        assertNull(map(awsRemoved.get("settings.aws.secret_access_key")).get("after"));
        assertEquals(Set.of("description"), map(newestFirst.get(0).get("changes")).keySet(), "unchanged secrets are not listed");
    }

    // ---- who may read, and what --------------------------------------------------------------------------------

    @Test
    void viewersAndEditorsAreForbiddenGovernanceAdminsAndAdminsMayRead() {
        Tenant t = provision();
        for (String role : List.of("viewer", "editor")) {
            Envelope.assertError(as(t, token(t, role)).get("/audit-events"), 403, "forbidden");
        }
        for (String role : List.of("governance_admin", "admin")) {
            as(t, token(t, role)).get("/audit-events").then().statusCode(200).body("has_more", equalTo(false));
        }
        Envelope.assertError(Api.tenant(t.subdomain()).get("/audit-events"), 401, "unauthorized");
    }

    @Test
    void anotherTenantsEntriesNeverAppear() {
        Tenant a = provision();
        Tenant b = provision();
        String projectId = as(a, token(a, "editor")).contentType(ContentType.JSON).body(Map.of("name", "Private"))
                .post("/projects").then().statusCode(201).extract().path("id");
        awaitEntries(a, 3);

        List<Map<String, Object>> seenByB = entries(b);

        Set<String> idsOfA = entries(a).stream().map(e -> (String) e.get("id")).collect(Collectors.toSet());
        assertEquals(2, seenByB.size(), "b sees its own provisioning only");
        assertTrue(seenByB.stream().noneMatch(e -> idsOfA.contains((String) e.get("id"))));
        auditor(b).queryParam("resource_id", projectId).get("/audit-events").then().statusCode(200).body("data", hasSize(0));
        auditor(b).queryParam("project_id", projectId).get("/audit-events").then().statusCode(200).body("data", hasSize(0));
    }

    @Test
    void filtersNarrowTheListAndBindTheCursor() {
        Instant start = Instant.now().minusSeconds(1);
        Tenant t = provision();
        TestTenant.Session admin = session(t, login(t));
        String p1 = Api.as(admin).contentType(ContentType.JSON).body(Map.of("name", "One")).post("/projects")
                .then().statusCode(201).extract().path("id");
        String p2 = Api.as(admin).contentType(ContentType.JSON).body(Map.of("name", "Two")).post("/projects")
                .then().statusCode(201).extract().path("id");
        Api.as(admin).contentType(ContentType.JSON).body(Map.of("description", "x")).patch("/projects/" + p1)
                .then().statusCode(200);
        awaitEntries(t, 6);
        Instant end = Instant.now().plusSeconds(1);

        auditor(t).queryParam("category", "auth").get("/audit-events").then().statusCode(200)
                .body("data.action", equalTo(List.of("login.succeeded")));
        auditor(t).queryParam("action", "resource.modified").get("/audit-events").then().statusCode(200)
                .body("data.resource.id", equalTo(List.of(p1)));
        auditor(t).queryParam("resource_type", "project").queryParam("resource_id", p1).get("/audit-events")
                .then().statusCode(200).body("data.action", equalTo(List.of("resource.modified", "resource.created")));
        auditor(t).queryParam("project_id", p2).get("/audit-events").then().statusCode(200)
                .body("data.action", equalTo(List.of("resource.created")));
        auditor(t).queryParam("actor_id", t.adminId()).get("/audit-events").then().statusCode(200).body("data", hasSize(4));
        auditor(t).queryParam("from", start.toString()).queryParam("to", end.toString()).get("/audit-events")
                .then().statusCode(200).body("data", hasSize(6));
        auditor(t).queryParam("from", end.toString()).get("/audit-events").then().statusCode(200).body("data", hasSize(0));
        auditor(t).queryParam("to", "2001-01-01T00:00:00+13:00").get("/audit-events").then().statusCode(200)
                .body("data", hasSize(0));

        Response first = auditor(t).queryParam("resource_type", "project").queryParam("limit", 2).get("/audit-events");
        first.then().statusCode(200).body("data", hasSize(2)).body("has_more", equalTo(true));
        String cursor = first.path("next_cursor");
        auditor(t).queryParam("resource_type", "project").queryParam("limit", 2).queryParam("cursor", cursor)
                .get("/audit-events").then().statusCode(200)
                .body("data.resource.id", equalTo(List.of(p1))).body("next_cursor", equalTo(null));
        Envelope.assertError(auditor(t).queryParam("resource_type", "tenant").queryParam("cursor", cursor)
                .get("/audit-events"), 400, "validation_error").body("error.details[0].field", equalTo("cursor"));
    }

    @Test
    void badFilterValuesAre400NamingEachParameter() {
        Tenant t = provision();
        Map<String, String> bad = Map.of("from", "yesterday", "to", "2026-11-28", "category", "billing",
                "project_id", "not-a-uuid", "actor_id", "42", "action", "Resource Created", "resource_type", "Project!");
        bad.forEach((name, value) -> Envelope.assertError(auditor(t).queryParam(name, value).get("/audit-events"),
                400, "validation_error").body("error.details.field", equalTo(List.of(name))));
        Envelope.assertError(auditor(t).queryParam("from", "2026-11-28T15:49:22.123Z").queryParam("to", "2026-11-27T00:00:00Z")
                .get("/audit-events"), 400, "validation_error").body("error.details.field", hasItem("to"));
        Envelope.assertError(auditor(t).queryParam("from", "soon").queryParam("category", "x").get("/audit-events"),
                400, "validation_error").body("error.details", hasSize(2));
        auditor(t).queryParam("from", "2026-11-28T15:49:22.123Z").get("/audit-events").then().statusCode(200);
    }
}
