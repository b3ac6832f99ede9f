package io.rimedata.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PlatformTenantResourceTest {

    private static Map<String, Object> tenant(String subdomain, Map<String, Object> admin) {
        return Map.of("subdomain", subdomain, "name", "Org", "tier", "free", "admin", admin);
    }

    @Test
    void createsTenantWithItsFirstAdmin() {
        String sub = Api.uniqueSubdomain("org");
        Response r = Api.operator().contentType(ContentType.JSON)
                .body(tenant(sub, Map.of("email", "Boss@Example.test", "password", "long-enough-password"))).post("/platform/tenants");
        r.then().statusCode(201)
                .header("Location", matchesPattern(".*/api/v1/platform/tenants/[0-9a-f-]{36}"))
                .body("tenant.subdomain", equalTo(sub))
                .body("tenant.tier", equalTo("free"))
                .body("tenant.default_timezone", equalTo("Pacific/Auckland"))
                .body("admin.email", equalTo("boss@example.test"))
                .body("admin.role", equalTo("admin"))
                .body("admin.status", equalTo("active"))
                .body("invitation_token", nullValue());
        Api.login(sub, "boss@example.test", "long-enough-password");
        Api.operator().get("/platform/tenants/" + r.path("tenant.id")).then().statusCode(200).body("subdomain", equalTo(sub));
    }

    @Test
    void withoutPasswordTheAdminIsInvited() {
        Api.operator().contentType(ContentType.JSON)
                .body(tenant(Api.uniqueSubdomain("inv"), Map.of("email", "new@example.test"))).post("/platform/tenants")
                .then().statusCode(201)
                .body("admin.status", equalTo("invited"))
                .body("invitation_token", matchesPattern("rin_.+"));
    }

    @Test
    void duplicateSubdomainIs409() {
        String sub = Api.uniqueSubdomain("dup");
        Map<String, Object> body = tenant(sub, Map.of("email", "a@example.test"));
        Api.operator().contentType(ContentType.JSON).body(body).post("/platform/tenants").then().statusCode(201);
        Envelope.assertError(Api.operator().contentType(ContentType.JSON).body(body).post("/platform/tenants"), 409, "conflict");
    }

    @Test
    void invalidBodyIs400WithFields() {
        Envelope.assertError(Api.operator().contentType(ContentType.JSON)
                .body(Map.of("subdomain", "Not_A_Label", "name", "x", "tier", "gold",
                        "admin", Map.of("email", "not-an-email", "password", "short")))
                .post("/platform/tenants"), 400, "validation_error")
                .body("error.details.field", hasItem("subdomain"))
                .body("error.details.field", hasItem("tier"))
                .body("error.details.field", hasItem("admin.email"))
                .body("error.details.field", hasItem("admin.password"));
    }

    @Test
    void wrongOperatorTokenIs401() {
        Envelope.assertError(given().relaxedHTTPSValidation().baseUri("https://localhost").port(Api.HTTPS_PORT)
                .basePath("/api/v1").header("Host", "localhost").header("Authorization", "Bearer wrong")
                .get("/platform/tenants"), 401, "unauthorized");
    }

    @Test
    void platformRoutesExistOnlyOnTheOperatorHost() {
        var t = Api.newTenant();
        Envelope.assertError(Api.as(t.admin()).get("/platform/tenants"), 404, "resource_not_found");
        Envelope.assertError(Api.operator().get("/projects"), 404, "resource_not_found");
    }

    @Test
    void listsTenantsWithPagination() {
        Api.newTenant();
        Api.operator().queryParam("limit", 1).get("/platform/tenants").then().statusCode(200)
                .body("data.size()", equalTo(1))
                .body("next_cursor", notNullValue())
                .body("has_more", equalTo(true));
    }
}
