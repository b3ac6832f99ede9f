package io.rimedata.identity.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SessionResourceTest {

    @Test
    void listsOwnSessionsAndRevokesOne() {
        TestTenant t = Api.newTenant();
        TestTenant.Session other = Api.login(t.subdomain(), "admin@" + t.subdomain() + ".test", Api.PASSWORD);
        List<String> ids = Api.as(t.admin()).get("/auth/sessions").then().statusCode(200)
                .body("data.current", hasItem(true)).extract().path("data.id");
        org.junit.jupiter.api.Assertions.assertEquals(2, ids.size());
        String otherId = Api.as(other).get("/auth/sessions").then().extract()
                .path("data.find { it.current == true }.id");
        Api.as(t.admin()).delete("/auth/sessions/" + otherId).then().statusCode(204);
        Envelope.assertError(Api.as(other).get("/users/me"), 401, "unauthorized");
        Api.as(t.admin()).get("/auth/sessions").then().body("data.size()", equalTo(1));
    }

    @Test
    void anotherUsersSessionIsNotFound() {
        TestTenant a = Api.newTenant();
        TestTenant b = Api.newTenant();
        String sessionOfA = Api.as(a.admin()).get("/auth/sessions").then().extract().path("data[0].id");
        Envelope.assertError(Api.as(b.admin()).delete("/auth/sessions/" + sessionOfA), 404, "resource_not_found");
        Api.as(a.admin()).get("/users/me").then().statusCode(200);
    }
}
