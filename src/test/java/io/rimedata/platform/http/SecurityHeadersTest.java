package io.rimedata.platform.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Browser hardening headers on every kind of answer: success, errors before and after routing, the UI page. */
@QuarkusTest
class SecurityHeadersTest {

    private static TestTenant tenant;

    @BeforeAll
    static void tenant() {
        tenant = Api.newTenant();
    }

    private static ValidatableResponse hardened(Response response) {
        return response.then()
                .header("Strict-Transport-Security", equalTo("max-age=31536000; includeSubDomains"))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .header("Referrer-Policy", equalTo("no-referrer"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"));
    }

    @Test
    void aSuccessfulApiResponseCarriesThem() {
        hardened(Api.as(tenant.admin()).get("/projects")).statusCode(200)
                .header("Content-Security-Policy", equalTo("frame-ancestors 'none'"));
    }

    @Test
    void errorsWrittenBeforeRoutingCarryThem() {
        hardened(Envelope.assertError(Api.as(tenant.admin()).get("/no-such-route"), 404, "resource_not_found")
                .extract().response());
        hardened(Envelope.assertError(Api.tenant("no-such-tenant-" + Api.randomId().substring(0, 8)).get("/projects"),
                404, "resource_not_found").extract().response());
    }

    @Test
    void authenticationFailuresCarryThem() {
        hardened(Envelope.assertError(Api.tenant(tenant.subdomain()).get("/projects"), 401, "unauthorized")
                .extract().response());
        hardened(Envelope.assertError(Api.tenant(tenant.subdomain()).header("Authorization", "Bearer rk_nope")
                .get("/projects"), 401, "unauthorized").extract().response());
    }

    @Test
    void plainHttpIsRefusedWithThemButWithoutHsts() {
        Response response = given().baseUri("http://localhost").port(Api.HTTP_PORT)
                .header("Host", tenant.subdomain() + ".localhost").get("/api/v1/projects");
        Envelope.assertError(response, 403, "forbidden")
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .header("Content-Security-Policy", equalTo("frame-ancestors 'none'"))
                .header("Strict-Transport-Security", nullValue());
    }

    @Test
    void theUiPageGetsAPolicyThatAllowsOnlyItsOwnScriptStyleAndOrigin() {
        Response page = Api.tenant(tenant.subdomain()).basePath("").get("/ui/run.html");
        hardened(page).statusCode(200)
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("connect-src 'self'"))
                .body(containsString("<script src=\"run.js\"></script>"));
        hardened(Api.tenant(tenant.subdomain()).basePath("").get("/ui/run.js")).statusCode(200);
        hardened(Api.tenant(tenant.subdomain()).basePath("").get("/ui/run.css")).statusCode(200);
    }
}
