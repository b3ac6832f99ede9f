package io.rimedata.identity.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthFlowTest {

    private static Response refresh(String subdomain, String refreshToken) {
        return Api.tenant(subdomain).contentType(ContentType.JSON).body(Map.of("refresh_token", refreshToken))
                .post("/auth/refresh");
    }

    private static String email(TestTenant t) {
        return "admin@" + t.subdomain() + ".test";
    }

    @Test
    void refreshRotatesTheTokenPair() {
        TestTenant t = Api.newTenant();
        Response r = refresh(t.subdomain(), t.admin().refreshToken());
        r.then().statusCode(200).body("token_type", equalTo("Bearer"))
                .body("refresh_token", not(equalTo(t.admin().refreshToken())));
        Api.tenant(t.subdomain()).header("Authorization", "Bearer " + r.path("access_token")).get("/projects")
                .then().statusCode(200);
    }

    @Test
    void reusingASpentRefreshTokenRevokesTheWholeSession() {
        TestTenant t = Api.newTenant();
        String first = t.admin().refreshToken();
        Response rotated = refresh(t.subdomain(), first);
        rotated.then().statusCode(200);
        String newAccess = rotated.path("access_token");
        String newRefresh = rotated.path("refresh_token");

        Envelope.assertError(refresh(t.subdomain(), first), 401, "unauthorized");
        Envelope.assertError(refresh(t.subdomain(), newRefresh), 401, "unauthorized");
        Envelope.assertError(Api.tenant(t.subdomain()).header("Authorization", "Bearer " + newAccess).get("/projects"),
                401, "unauthorized");
        Envelope.assertError(Api.as(t.admin()).get("/projects"), 401, "unauthorized");
    }

    @Test
    void otherSessionsSurviveTheTheftOfOne() {
        TestTenant t = Api.newTenant();
        var second = Api.login(t.subdomain(), email(t), Api.PASSWORD);
        refresh(t.subdomain(), t.admin().refreshToken()).then().statusCode(200);
        refresh(t.subdomain(), t.admin().refreshToken()).then().statusCode(401);
        Api.as(second).get("/projects").then().statusCode(200);
    }

    @Test
    void logoutRevokesAccessAndRefreshTokens() {
        TestTenant t = Api.newTenant();
        Api.as(t.admin()).post("/auth/logout").then().statusCode(204);
        Envelope.assertError(Api.as(t.admin()).get("/projects"), 401, "unauthorized");
        Envelope.assertError(refresh(t.subdomain(), t.admin().refreshToken()), 401, "unauthorized");
    }

    @Test
    void unknownOrForeignRefreshTokenIs401() {
        TestTenant a = Api.newTenant();
        TestTenant b = Api.newTenant();
        Envelope.assertError(refresh(a.subdomain(), "rrt_not-a-real-token"), 401, "unauthorized");
        Envelope.assertError(refresh(b.subdomain(), a.admin().refreshToken()), 401, "unauthorized");
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameAnswer() {
        TestTenant t = Api.newTenant();
        Response wrongPassword = Api.tenant(t.subdomain()).contentType(ContentType.JSON)
                .body(Map.of("email", email(t), "password", "not-the-password")).post("/auth/login");
        Response unknownUser = Api.tenant(t.subdomain()).contentType(ContentType.JSON)
                .body(Map.of("email", "ghost@" + t.subdomain() + ".test", "password", "not-the-password")).post("/auth/login");
        Envelope.assertError(wrongPassword, 401, "unauthorized");
        Envelope.assertError(unknownUser, 401, "unauthorized");
        org.junit.jupiter.api.Assertions.assertEquals((String) wrongPassword.path("error.message"),
                (String) unknownUser.path("error.message"));
    }

    @Test
    void repeatedFailuresThrottleTheAccount() {
        TestTenant t = Api.newTenant();
        for (int i = 0; i < 10; i++) {
            Api.tenant(t.subdomain()).contentType(ContentType.JSON)
                    .body(Map.of("email", email(t), "password", "guess-" + i)).post("/auth/login").then().statusCode(401);
        }
        Response throttled = Api.tenant(t.subdomain()).contentType(ContentType.JSON)
                .body(Map.of("email", email(t), "password", Api.PASSWORD)).post("/auth/login");
        Envelope.assertError(throttled, 429, "rate_limited");
        assertNotEquals(null, throttled.header("Retry-After"));
    }

    @Test
    void loginValidatesItsBody() {
        TestTenant t = Api.newTenant();
        Envelope.assertError(Api.tenant(t.subdomain()).contentType(ContentType.JSON).body(Map.of("email", "")).post("/auth/login"),
                400, "validation_error");
    }

    @Test
    void jwksPublishesTheVerificationKey() {
        TestTenant t = Api.newTenant();
        Api.tenant(t.subdomain()).get("/auth/jwks").then().statusCode(200)
                .body("keys[0].kid", equalTo("rime-test-1"))
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].d", org.hamcrest.Matchers.nullValue());
    }
}
