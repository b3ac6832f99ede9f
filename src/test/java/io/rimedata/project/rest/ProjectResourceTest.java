package io.rimedata.project.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProjectResourceTest {

    private static Map<String, Object> snowflakeProject(String name) {
        return Map.of("name", name, "description", "d", "settings", Map.of(
                "default_timezone", "Europe/Berlin",
                "snowflake", Map.of("account", "xy12345.eu-central-1", "auth_method", "password", "username", "loader",
                        "password", "sf-secret-value-1")));
    }

    private static Response create(TestTenant t, Object body) {
        return Api.as(t.admin()).contentType(ContentType.JSON).body(body).post("/projects");
    }

    @Test
    void createsProjectWithLocationEtagAndWriteOnlySecret() {
        TestTenant t = Api.newTenant();
        Response r = create(t, snowflakeProject("Sales"));
        r.then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString(".localhost:" + Api.HTTPS_PORT + "/api/v1/projects/"))
                .header("ETag", notNullValue())
                .header("RateLimit", notNullValue())
                .header("RateLimit-Policy", notNullValue())
                .body("name", equalTo("Sales"))
                .body("settings.default_timezone", equalTo("Europe/Berlin"))
                .body("settings.snowflake.password.set", equalTo(true))
                .body("created_at", notNullValue());
        String id = r.path("id");
        String body = Api.as(t.admin()).get("/projects/" + id).then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(body.contains("sf-secret-value-1"));
    }

    @Test
    void defaultsTimezoneToAuckland() {
        TestTenant t = Api.newTenant();
        create(t, Map.of("name", "Plain")).then().statusCode(201)
                .body("settings.default_timezone", equalTo("Pacific/Auckland"))
                .body("description", nullValue());
    }

    @Test
    void duplicateNameIsConflictRegardlessOfCase() {
        TestTenant t = Api.newTenant();
        create(t, Map.of("name", "Finance")).then().statusCode(201);
        create(t, Map.of("name", "FINANCE")).then().statusCode(409)
                .body("error.code", equalTo("conflict"))
                .body("error.request_id", startsWith("req_"));
    }

    @Test
    void patchMergesSettingsAndClearsSecretWithNull() {
        TestTenant t = Api.newTenant();
        Response created = create(t, snowflakeProject("Ops"));
        String id = created.path("id");
        String etag = created.header("ETag");
        Response patched = Api.as(t.admin()).contentType("application/merge-patch+json").header("If-Match", etag)
                .body(Map.of("description", "new", "settings", Map.of("snowflake", Map.of("auth_method", "key_pair",
                        "private_key", "-----BEGIN PRIVATE KEY-----x", "password", org.hamcrest.Matchers.nullValue()
                                .toString()))))
                .patch("/projects/" + id);
        patched.then().statusCode(200);
        // the string "null" above is a value, not JSON null; send a real null next
        Api.as(t.admin()).contentType(ContentType.JSON)
                .body("{\"settings\":{\"snowflake\":{\"password\":null}}}")
                .patch("/projects/" + id)
                .then().statusCode(200)
                .body("description", equalTo("new"))
                .body("settings.snowflake.auth_method", equalTo("key_pair"))
                .body("settings.snowflake.private_key.set", equalTo(true))
                .body("settings.snowflake.password", nullValue())
                .body("settings.default_timezone", equalTo("Europe/Berlin"))
                .header("ETag", not(equalTo(etag)));
    }

    @Test
    void patchAppliesTheSecretsLengthLimitsOfCreate() {
        TestTenant t = Api.newTenant();
        String id = create(t, snowflakeProject("Limits")).path("id");
        Envelope.assertError(Api.as(t.admin()).contentType(ContentType.JSON)
                .body(Map.of("settings", Map.of("snowflake", Map.of("password", "p".repeat(1001)))))
                .patch("/projects/" + id), 400, "validation_error")
                .body("error.details[0].field", equalTo("settings.snowflake.password"));
        Api.as(t.admin()).contentType(ContentType.JSON)
                .body(Map.of("settings", Map.of("snowflake", Map.of("password", "p".repeat(1000)))))
                .patch("/projects/" + id).then().statusCode(200);
    }

    @Test
    void movingToAnotherSnowflakeAccountNeedsTheSecretsAgain() {
        TestTenant t = Api.newTenant();
        String id = create(t, snowflakeProject("Moves")).path("id");
        Envelope.assertError(Api.as(t.admin()).contentType(ContentType.JSON)
                .body(Map.of("settings", Map.of("snowflake", Map.of("account", "attacker-account"))))
                .patch("/projects/" + id), 422, "unprocessable_entity")
                .body("error.details[0].field", equalTo("settings.snowflake.password"));
        Api.as(t.admin()).get("/projects/" + id).then().statusCode(200)
                .body("settings.snowflake.account", equalTo("xy12345.eu-central-1"));
        Api.as(t.admin()).contentType(ContentType.JSON)
                .body(Map.of("settings", Map.of("snowflake", Map.of("account", "new-account", "password", "sf-secret-value-2"))))
                .patch("/projects/" + id).then().statusCode(200)
                .body("settings.snowflake.account", equalTo("new-account"))
                .body("settings.snowflake.password.set", equalTo(true));
        // the username is not a destination: the stored password stays
        Api.as(t.admin()).contentType(ContentType.JSON)
                .body(Map.of("settings", Map.of("snowflake", Map.of("username", "other-loader"))))
                .patch("/projects/" + id).then().statusCode(200);
    }

    @Test
    void staleIfMatchIsPreconditionFailed() {
        TestTenant t = Api.newTenant();
        Response created = create(t, Map.of("name", "Etag"));
        String id = created.path("id");
        String etag = created.header("ETag");
        Api.as(t.admin()).contentType(ContentType.JSON).header("If-Match", etag).body(Map.of("description", "x"))
                .patch("/projects/" + id).then().statusCode(200);
        Api.as(t.admin()).contentType(ContentType.JSON).header("If-Match", etag).body(Map.of("description", "y"))
                .patch("/projects/" + id).then().statusCode(412).body("error.code", equalTo("precondition_failed"));
        Api.as(t.admin()).header("If-Match", etag).delete("/projects/" + id).then().statusCode(412);
    }

    @Test
    void ifNoneMatchGivesNotModified() {
        TestTenant t = Api.newTenant();
        Response created = create(t, Map.of("name", "Cache"));
        Api.as(t.admin()).header("If-None-Match", created.header("ETag")).get("/projects/" + created.path("id"))
                .then().statusCode(304);
    }

    @Test
    void deleteRemovesProject() {
        TestTenant t = Api.newTenant();
        String id = create(t, Map.of("name", "Gone")).path("id");
        Api.as(t.admin()).delete("/projects/" + id).then().statusCode(204);
        Api.as(t.admin()).get("/projects/" + id).then().statusCode(404)
                .body("error.message", equalTo("Project with ID '" + id + "' was not found."));
    }

    @Test
    void anotherTenantsProjectIsNotFound() {
        TestTenant a = Api.newTenant();
        TestTenant b = Api.newTenant();
        String id = create(a, Map.of("name", "Mine")).path("id");
        Api.as(b.admin()).get("/projects/" + id).then().statusCode(404).body("error.code", equalTo("resource_not_found"));
        Api.as(b.admin()).contentType(ContentType.JSON).body(Map.of("name", "x")).patch("/projects/" + id).then().statusCode(404);
        Api.as(b.admin()).delete("/projects/" + id).then().statusCode(404);
        Api.as(b.admin()).get("/projects").then().statusCode(200).body("data.id", not(hasItem(id)));
    }

    @Test
    void invalidSettingsAreFieldErrors() {
        TestTenant t = Api.newTenant();
        create(t, Map.of("name", "", "settings", Map.of("default_timezone", "Mars/Olympus",
                "aws", Map.of("region", "nowhere", "access_method", "access_key"))))
                .then().statusCode(400)
                .body("error.code", equalTo("validation_error"))
                .body("error.details.field", hasItem("name"))
                .body("error.details.field", hasItem("settings.default_timezone"))
                .body("error.details.field", hasItem("settings.aws.region"));
    }

    @Test
    void unknownFieldIsNamed() {
        TestTenant t = Api.newTenant();
        create(t, Map.of("name", "X", "colour", "blue")).then().statusCode(400)
                .body("error.details[0].field", equalTo("colour"));
    }
}
