package io.rimedata.identity.rest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TenantResourceTest {

    @Test
    void showsUsageAndLimits() {
        TestTenant t = Api.newTenant("small_business");
        Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "one")).post("/projects").then().statusCode(201);
        Api.as(t.admin()).get("/tenant").then().statusCode(200)
                .body("subdomain", equalTo(t.subdomain()))
                .body("tier", equalTo("small_business"))
                .body("default_timezone", equalTo("Pacific/Auckland"))
                .body("usage.projects", equalTo(1))
                .body("usage.users", equalTo(1))
                .body("limits.projects", equalTo(3))
                .body("limits.users", equalTo(10))
                .body("limits.connectors_per_project", equalTo(25));
    }

    @Test
    void unlimitedTierShowsNullLimits() {
        TestTenant t = Api.newTenant("business_critical");
        Api.as(t.admin()).get("/tenant").then().statusCode(200).body("limits.projects", nullValue());
    }

    @Test
    void adminRenamesTenantOthersCannot() {
        TestTenant t = Api.newTenant();
        Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "Renamed", "default_timezone", "Europe/Paris"))
                .patch("/tenant").then().statusCode(200).body("name", equalTo("Renamed"))
                .body("default_timezone", equalTo("Europe/Paris"));
        Envelope.assertError(Api.as(Api.minted(t.subdomain(), "editor", Api.randomId())).contentType(ContentType.JSON)
                .body(Map.of("name", "x")).patch("/tenant"), 403, "forbidden");
        Envelope.assertError(Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("default_timezone", "Nowhere/Land"))
                .patch("/tenant"), 400, "validation_error");
    }

    @Test
    void freeTierCapsProjectsWith403NamingTheLimit() {
        TestTenant t = Api.newTenant("free");
        Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "only")).post("/projects").then().statusCode(201);
        Envelope.assertError(Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "second")).post("/projects"),
                403, "forbidden").body("error.message", containsString("limit: projects"));
    }

    @Test
    void freeTierCapsUsersIncludingInvited() {
        TestTenant t = Api.newTenant("free");
        for (int i = 0; i < 2; i++) {
            Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("email", "u" + i + "@x.test", "role", "viewer"))
                    .post("/users").then().statusCode(201);
        }
        Envelope.assertError(Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("email", "u3@x.test", "role", "viewer"))
                .post("/users"), 403, "forbidden").body("error.message", containsString("limit: users"));
    }
}
