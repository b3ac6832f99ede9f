package io.rimedata.identity.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.rimedata.support.Api;
import io.rimedata.support.TestTenant;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthResourceTest {

    @Test
    void logsInAndReturnsTokenPair() {
        TestTenant t = Api.newTenant();
        Api.tenant(t.subdomain()).contentType(ContentType.JSON)
                .body(Map.of("email", "admin@" + t.subdomain() + ".test", "password", Api.PASSWORD))
                .post("/auth/login")
                .then().statusCode(200)
                .header("X-Request-Id", matchesPattern("req_[0-9A-HJKMNP-TV-Z]{26}"))
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(3600))
                .body("access_token", notNullValue())
                .body("refresh_token", matchesPattern("rrt_.+"));
    }
}
