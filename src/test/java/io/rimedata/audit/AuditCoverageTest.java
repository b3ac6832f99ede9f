package io.rimedata.audit;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.SecretLeaks;
import io.rimedata.support.TestTenant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Users, API keys, tenant settings, connectors, pipelines and runners record their changes in the audit log too. */
@QuarkusTest
class AuditCoverageTest {

    private static Response events(TestTenant t, String resourceType) {
        return Api.as(t.admin()).queryParam("resource_type", resourceType).get("/audit-events");
    }

    private static void awaitCount(TestTenant t, String resourceType, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                events(t, resourceType).<List<?>>path("data").size() >= count);
    }

    @Test
    void userChangesAreAudited() {
        TestTenant t = Api.newTenant();
        String id = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("email", "new@x.test", "role", "viewer"))
                .post("/users").then().statusCode(201).extract().path("user.id");
        Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("role", "editor")).patch("/users/" + id)
                .then().statusCode(200);
        Api.as(t.admin()).delete("/users/" + id).then().statusCode(204);
        awaitCount(t, "user", 4); // the tenant's first admin was created too, by the operator
        Api.as(t.admin()).queryParam("resource_type", "user").queryParam("resource_id", id).get("/audit-events").then()
                .body("data.action", equalTo(List.of("resource.deleted", "resource.modified", "resource.created")))
                .body("data[1].changes.role.before", equalTo("viewer"))
                .body("data[1].changes.role.after", equalTo("editor"))
                .body("data[1].resource.name", equalTo("new@x.test"));
    }

    @Test
    void apiKeysTenantSettingsAndConnectorsAreAudited() {
        TestTenant t = Api.newTenant();
        String project = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "audited")).post("/projects")
                .then().statusCode(201).extract().path("id");
        Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "ci", "role", "viewer"))
                .post("/projects/" + project + "/api-keys").then().statusCode(201);
        Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "Renamed Org")).patch("/tenant")
                .then().statusCode(200);
        String password = SecretLeaks.secret("conn-" + Api.randomId());
        String connector = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "pg", "type", "postgresql",
                "config", Map.of("host", "db", "database", "d", "username", "u", "password", password)))
                .post("/projects/" + project + "/connectors").then().statusCode(201).extract().path("id");
        Api.as(t.admin()).contentType(ContentType.JSON)
                .body(Map.of("config", Map.of("password", SecretLeaks.secret(password + "-2"))))
                .patch("/projects/" + project + "/connectors/" + connector).then().statusCode(200);
        awaitCount(t, "connector", 2);
        events(t, "api_key").then().body("data[0].action", equalTo("resource.created"))
                .body("data[0].changes.role.after", equalTo("viewer"));
        events(t, "tenant").then().body("data[0].changes.name.after", equalTo("Renamed Org"));
        Response connectorEvents = events(t, "connector");
        connectorEvents.then()
                .body("data.action", equalTo(List.of("resource.modified", "resource.created")))
                .body("data[0].changes.'config.password'.after", equalTo("[redacted]"))
                .body("data[1].changes.'config.host'.after", equalTo("db"));
        assertFalse(connectorEvents.asString().contains(password));
    }

    @Test
    void pipelinesAndRunnersAreAuditedWithoutTheirSecrets() {
        TestTenant t = Api.newTenant();
        String project = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "audited")).post("/projects")
                .then().statusCode(201).extract().path("id");
        String secret = SecretLeaks.secret("whsec-" + Api.randomId());
        String pipeline = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "p", "steps", List.of(
                Map.of("key", "hook", "type", "webhook", "config", Map.of("url", "https://x.test/h", "signing_secret", secret)))))
                .post("/projects/" + project + "/pipelines").then().statusCode(201).extract().path("id");
        Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("steps", List.of(Map.of("key", "w", "type", "wait",
                "config", Map.of("seconds", 1))))).patch("/projects/" + project + "/pipelines/" + pipeline).then().statusCode(200);
        Api.as(t.admin()).post("/projects/" + project + "/pipelines/" + pipeline + "/versions/1/restore").then().statusCode(201);
        String runner = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "dbt")).post("/runners")
                .then().statusCode(201).extract().path("id");
        Api.as(t.admin()).delete("/runners/" + runner).then().statusCode(204);
        awaitCount(t, "pipeline", 3);
        awaitCount(t, "runner", 2);
        Response pipelineEvents = events(t, "pipeline");
        pipelineEvents.then().body("data.action", equalTo(List.of("resource.modified", "resource.modified", "resource.created")))
                .body("data[0].changes.current_version.after", equalTo(3))
                .body("data[1].changes.current_version.after", equalTo(2));
        assertFalse(pipelineEvents.asString().contains(secret));
        events(t, "runner").then().body("data.action", equalTo(List.of("resource.deleted", "resource.created")))
                .body("data[1].resource.name", equalTo("dbt"));
    }
}
