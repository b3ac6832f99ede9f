package io.rimedata.identity.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class UserResourceTest {

    private static Response invite(TestTenant t, String email, String role) {
        return Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("email", email, "role", role)).post("/users");
    }

    private static Response accept(String subdomain, String token, String password) {
        return Api.tenant(subdomain).contentType(ContentType.JSON)
                .body(Map.of("token", token, "password", password, "first_name", "Ed", "last_name", "Itor"))
                .post("/auth/invitations/accept");
    }

    /** Invites and activates a user; returns their session. */
    private static TestTenant.Session member(TestTenant t, String role) {
        String email = role + "-" + Api.randomId().substring(0, 8) + "@" + t.subdomain() + ".test";
        String token = invite(t, email, role).then().statusCode(201).extract().path("invitation_token");
        Response accepted = accept(t.subdomain(), token, "member-password-1");
        accepted.then().statusCode(200);
        return new TestTenant.Session(t.subdomain(), accepted.path("access_token"), accepted.path("refresh_token"));
    }

    private static String myId(TestTenant.Session s) {
        return Api.as(s).get("/users/me").then().statusCode(200).extract().path("id");
    }

    @Test
    void readsAndUpdatesOwnProfile() {
        TestTenant t = Api.newTenant();
        Api.as(t.admin()).get("/users/me").then().statusCode(200)
                .body("email", equalTo("admin@" + t.subdomain() + ".test")).body("role", equalTo("admin"));
        Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("first_name", "Grace")).patch("/users/me")
                .then().statusCode(200).body("first_name", equalTo("Grace")).body("last_name", equalTo("Admin"));
    }

    @Test
    void invitationIsSingleUseAndActivatesTheUser() {
        TestTenant t = Api.newTenant();
        Response invited = invite(t, "new@" + t.subdomain() + ".test", "editor");
        invited.then().statusCode(201).body("user.status", equalTo("invited"))
                .body("invitation_token", matchesPattern("rin_.+"));
        String token = invited.path("invitation_token");
        Response accepted = accept(t.subdomain(), token, "a-fine-password");
        accepted.then().statusCode(200).body("token_type", equalTo("Bearer"));
        Api.tenant(t.subdomain()).header("Authorization", "Bearer " + accepted.path("access_token")).get("/users/me")
                .then().statusCode(200).body("status", equalTo("active")).body("role", equalTo("editor"));
        Envelope.assertError(accept(t.subdomain(), token, "a-fine-password"), 401, "unauthorized");
        Api.login(t.subdomain(), "new@" + t.subdomain() + ".test", "a-fine-password");
    }

    @Test
    void duplicateInviteIs409() {
        TestTenant t = Api.newTenant();
        invite(t, "twice@x.test", "viewer").then().statusCode(201);
        Envelope.assertError(invite(t, "TWICE@x.test", "viewer"), 409, "conflict");
    }

    @Test
    void changingPasswordRevokesOtherSessions() {
        TestTenant t = Api.newTenant();
        String email = "admin@" + t.subdomain() + ".test";
        TestTenant.Session other = Api.login(t.subdomain(), email, Api.PASSWORD);
        Envelope.assertError(Api.as(t.admin()).contentType(ContentType.JSON)
                .body(Map.of("current_password", "wrong-password", "new_password", "brand-new-password"))
                .post("/users/me/password"), 422, "unprocessable_entity");
        Api.as(t.admin()).contentType(ContentType.JSON)
                .body(Map.of("current_password", Api.PASSWORD, "new_password", "brand-new-password"))
                .post("/users/me/password").then().statusCode(204);
        Api.as(t.admin()).get("/users/me").then().statusCode(200);
        Envelope.assertError(Api.as(other).get("/users/me"), 401, "unauthorized");
        Api.login(t.subdomain(), email, "brand-new-password");
    }

    @Test
    void listsWithFiltersAndRejectsBadOnes() {
        TestTenant t = Api.newTenant();
        invite(t, "v1@x.test", "viewer").then().statusCode(201);
        invite(t, "e1@x.test", "editor").then().statusCode(201);
        Api.as(t.admin()).queryParam("role", "viewer").get("/users").then().statusCode(200)
                .body("data.role", everyItem(equalTo("viewer"))).body("data.size()", equalTo(1));
        Api.as(t.admin()).queryParam("status", "invited").get("/users").then().statusCode(200)
                .body("data.size()", equalTo(2));
        Envelope.assertError(Api.as(t.admin()).queryParam("role", "king").get("/users"), 400, "validation_error")
                .body("error.details[0].field", equalTo("role"));
    }

    @Test
    void theLastAdminCannotBeDemotedDeactivatedOrRemoved() {
        TestTenant t = Api.newTenant();
        String me = myId(t.admin());
        Envelope.assertError(Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("role", "editor"))
                .patch("/users/" + me), 409, "conflict");
        Envelope.assertError(Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("status", "deactivated"))
                .patch("/users/" + me), 409, "conflict");
        Envelope.assertError(Api.as(t.admin()).delete("/users/" + me), 409, "conflict");

        TestTenant.Session second = member(t, "admin");
        Api.as(second).contentType(ContentType.JSON).body(Map.of("role", "editor")).patch("/users/" + me)
                .then().statusCode(200).body("role", equalTo("editor"));
        Envelope.assertError(Api.as(second).delete("/users/" + myId(second)), 409, "conflict");
    }

    @Test
    void deactivationEndsSessionsAndRemovalDeletes() {
        TestTenant t = Api.newTenant();
        TestTenant.Session editor = member(t, "editor");
        String id = myId(editor);
        Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("status", "deactivated")).patch("/users/" + id)
                .then().statusCode(200).body("status", equalTo("deactivated"));
        Envelope.assertError(Api.as(editor).get("/users/me"), 401, "unauthorized");
        Api.as(t.admin()).delete("/users/" + id).then().statusCode(204);
        Envelope.assertError(Api.as(t.admin()).get("/users/" + id), 404, "resource_not_found");
    }

    @Test
    void adminCanEndAllSessionsOfAUser() {
        TestTenant t = Api.newTenant();
        TestTenant.Session viewer = member(t, "viewer");
        Api.as(t.admin()).post("/users/" + myId(viewer) + "/sessions/revoke").then().statusCode(204);
        Envelope.assertError(Api.as(viewer).get("/users/me"), 401, "unauthorized");
    }

    @Test
    void invitedUsersCannotBeActivatedDirectly() {
        TestTenant t = Api.newTenant();
        String id = invite(t, "pending@x.test", "viewer").path("user.id");
        Envelope.assertError(Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("status", "active"))
                .patch("/users/" + id), 422, "unprocessable_entity");
    }

    @Test
    void anotherTenantsUserIsNotFound() {
        TestTenant a = Api.newTenant();
        TestTenant b = Api.newTenant();
        String id = myId(a.admin());
        Envelope.assertError(Api.as(b.admin()).get("/users/" + id), 404, "resource_not_found");
        Envelope.assertError(Api.as(b.admin()).delete("/users/" + id), 404, "resource_not_found");
        Api.as(b.admin()).get("/users").then().body("data.id", org.hamcrest.Matchers.not(hasItem(id)));
    }

    @Test
    void nonAdminsCannotManageUsers() {
        TestTenant t = Api.newTenant();
        TestTenant.Session editor = member(t, "editor");
        Envelope.assertError(Api.as(editor).get("/users"), 403, "forbidden");
        Envelope.assertError(Api.as(editor).contentType(ContentType.JSON).body(Map.of("email", "x@x.test", "role", "admin"))
                .post("/users"), 403, "forbidden");
    }
}
