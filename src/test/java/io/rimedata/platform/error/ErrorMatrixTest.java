package io.rimedata.platform.error;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.FailureResource;
import io.rimedata.support.TestTenant;
import io.rimedata.support.TestTokens;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every failure the chain can produce, each in the envelope with its request id. */
@QuarkusTest
class ErrorMatrixTest {

    private static TestTenant tenant;

    @BeforeAll
    static void tenant() {
        tenant = Api.newTenant();
    }

    private static Response projects(String token) {
        return Api.tenant(tenant.subdomain()).header("Authorization", "Bearer " + token).get("/projects");
    }

    @Test
    void malformedJsonIs400() {
        Envelope.assertError(Api.as(tenant.admin()).contentType(ContentType.JSON).body("{\"name\": ").post("/projects"),
                400, "validation_error");
    }

    @Test
    void wrongTypeNamesTheField() {
        Envelope.assertError(Api.as(tenant.admin()).contentType(ContentType.JSON)
                .body("{\"name\": \"x\", \"settings\": {\"snowflake\": {\"account\": [1]}}}").post("/projects"),
                400, "validation_error").body("error.details[0].field", equalTo("settings.snowflake.account"));
    }

    @Test
    void constraintViolationsListEveryField() {
        Envelope.assertError(Api.as(tenant.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "x".repeat(101), "description", "d".repeat(2001))).post("/projects"),
                400, "validation_error")
                .body("error.details.field", hasItem("name"))
                .body("error.details.field", hasItem("description"));
    }

    @Test
    void badQueryParameterIs400() {
        Envelope.assertError(Api.as(tenant.admin()).queryParam("limit", "abc").get("/projects"), 400, "validation_error")
                .body("error.details[0].field", equalTo("limit"));
    }

    @Test
    void missingTokenIs401() {
        Envelope.assertError(Api.tenant(tenant.subdomain()).get("/projects"), 401, "unauthorized")
                .header("WWW-Authenticate", equalTo("Bearer realm=\"rime\""));
    }

    @Test
    void malformedTokenIs401() {
        Envelope.assertError(projects("not.a.jwt"), 401, "unauthorized");
        Envelope.assertError(Api.tenant(tenant.subdomain()).header("Authorization", "Basic Zm9vOmJhcg==").get("/projects"),
                401, "unauthorized");
    }

    @Test
    void expiredTokenIs401() {
        Instant past = Instant.now().minusSeconds(7200);
        String token = TestTokens.sign(TestTokens.claims(tenant.subdomain(), "admin", Set.of("admin", "viewer"))
                .issuedAt(past).expiresAt(past.plusSeconds(600)));
        Envelope.assertError(projects(token), 401, "unauthorized");
    }

    @Test
    void badSignatureIs401() throws Exception {
        Envelope.assertError(projects(TestTokens.signWithForeignKey(
                TestTokens.claims(tenant.subdomain(), "admin", Set.of("admin", "viewer")))), 401, "unauthorized");
    }

    @Test
    void algNoneIs401() {
        Envelope.assertError(projects(TestTokens.unsigned(tenant.subdomain())), 401, "unauthorized");
    }

    @Test
    void hmacSignedWithThePublicKeyIs401() throws Exception {
        Envelope.assertError(projects(TestTokens.hmacWithPublicKey(
                TestTokens.claims(tenant.subdomain(), "admin", Set.of("admin", "viewer")))), 401, "unauthorized");
    }

    @Test
    void wrongAudienceOrIssuerIs401() {
        Envelope.assertError(projects(TestTokens.sign(TestTokens.claims(tenant.subdomain(), "admin", Set.of("admin", "viewer"))
                .audience("someone-else"))), 401, "unauthorized");
        Envelope.assertError(projects(TestTokens.sign(TestTokens.claims(tenant.subdomain(), "admin", Set.of("admin", "viewer"))
                .issuer("https://evil.example"))), 401, "unauthorized");
    }

    @Test
    void anotherTenantsTokenIs401() {
        TestTenant other = Api.newTenant();
        Envelope.assertError(projects(other.admin().accessToken()), 401, "unauthorized");
    }

    @Test
    void revokedAfterLogoutIs401() {
        TestTenant t = Api.newTenant();
        Api.as(t.admin()).get("/projects").then().statusCode(200);
        Api.as(t.admin()).post("/auth/logout").then().statusCode(204);
        Envelope.assertError(Api.as(t.admin()).get("/projects"), 401, "unauthorized");
    }

    @Test
    void insufficientRoleIs403() {
        String viewer = TestTokens.sign(TestTokens.claims(tenant.subdomain(), "viewer", Set.of("viewer")));
        Api.tenant(tenant.subdomain()).header("Authorization", "Bearer " + viewer).get("/projects").then().statusCode(200);
        Envelope.assertError(Api.tenant(tenant.subdomain()).header("Authorization", "Bearer " + viewer)
                .contentType(ContentType.JSON).body(Map.of("name", "nope")).post("/projects"), 403, "forbidden");
    }

    @Test
    void plainHttpIs403() {
        Envelope.assertError(given().baseUri("http://localhost").port(Api.HTTP_PORT)
                .header("Host", tenant.subdomain() + ".localhost").get("/api/v1/projects"), 403, "forbidden")
                .body("error.message", equalTo("HTTPS is required."));
    }

    @Test
    void unknownRouteIs404() {
        Envelope.assertError(Api.as(tenant.admin()).get("/no-such-thing"), 404, "resource_not_found");
        Envelope.assertError(given().relaxedHTTPSValidation().baseUri("https://localhost").port(Api.HTTPS_PORT)
                .header("Host", tenant.subdomain() + ".localhost").get("/elsewhere"), 404, "resource_not_found");
    }

    @Test
    void unknownIdIs404() {
        String id = Api.randomId();
        Envelope.assertError(Api.as(tenant.admin()).get("/projects/" + id), 404, "resource_not_found")
                .body("error.message", equalTo("Project with ID '" + id + "' was not found."));
        Envelope.assertError(Api.as(tenant.admin()).get("/projects/not-a-uuid"), 404, "resource_not_found");
    }

    @Test
    void unknownTenantAndForeignHostAre404() {
        Envelope.assertError(Api.tenant("no-such-tenant").get("/projects"), 404, "resource_not_found");
        Envelope.assertError(given().relaxedHTTPSValidation().baseUri("https://localhost").port(Api.HTTPS_PORT)
                .header("Host", "acme.example.com").get("/api/v1/projects"), 404, "resource_not_found");
    }

    @Test
    void wrongMethodIs405WithAllow() {
        Envelope.assertError(Api.as(tenant.admin()).put("/projects"), 405, "method_not_allowed")
                .header("Allow", containsString("GET"))
                .header("Allow", containsString("POST"))
                .header("Allow", not(containsString("PUT")));
    }

    @Test
    void duplicateIs409() {
        Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "dup")).post("/projects").then().statusCode(201);
        Envelope.assertError(Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "dup")).post("/projects"),
                409, "conflict");
    }

    @Test
    void staleIfMatchIs412() {
        String id = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "pre")).post("/projects").path("id");
        Envelope.assertError(Api.as(tenant.admin()).contentType(ContentType.JSON).header("If-Match", "\"stale\"")
                .body(Map.of("description", "x")).patch("/projects/" + id), 412, "precondition_failed");
    }

    @Test
    void oversizedBodyIs413() {
        String big = "{\"name\":\"big\",\"description\":\"" + "x".repeat(1_100_000) + "\"}";
        Envelope.assertError(Api.as(tenant.admin()).contentType(ContentType.JSON).body(big).post("/projects"),
                413, "payload_too_large");
    }

    @Test
    void nonJsonBodyIs415() {
        Envelope.assertError(Api.as(tenant.admin()).contentType(ContentType.TEXT).body("name=x").post("/projects"),
                415, "unsupported_media_type");
        Envelope.assertError(Api.as(tenant.admin()).contentType("application/xml").body("<p/>").post("/projects"),
                415, "unsupported_media_type");
    }

    @Test
    void idempotencyKeyReusedWithAnotherBodyIs422() {
        Api.as(tenant.admin()).contentType(ContentType.JSON).header("Idempotency-Key", "k-422")
                .body(Map.of("name", "first-422")).post("/projects").then().statusCode(201);
        Envelope.assertError(Api.as(tenant.admin()).contentType(ContentType.JSON).header("Idempotency-Key", "k-422")
                .body(Map.of("name", "second-422")).post("/projects"), 422, "unprocessable_entity");
    }

    @Test
    void unexpectedFailureIs500WithoutInternals() {
        Response r = Api.tenant(tenant.subdomain()).get("/test-support/failure");
        Envelope.assertError(r, 500, "internal_error");
        org.junit.jupiter.api.Assertions.assertFalse(r.asString().contains("secret_table"));
        org.junit.jupiter.api.Assertions.assertFalse(r.asString().contains("IllegalStateException"));
        org.junit.jupiter.api.Assertions.assertTrue(FailureResource.INTERNAL_DETAIL.contains("secret_table"));
    }
}
