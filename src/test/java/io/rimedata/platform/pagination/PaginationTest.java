package io.rimedata.platform.pagination;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PaginationTest {

    private static TestTenant tenant;
    private static final List<String> created = new ArrayList<>();

    @BeforeAll
    static void seed() {
        tenant = Api.newTenant();
        for (int i = 0; i < 250; i++) {
            created.add(createProject("p-" + i));
        }
    }

    private static String createProject(String name) {
        return Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", name)).post("/projects")
                .then().statusCode(201).extract().path("id");
    }

    @Test
    void walksTwoHundredFiftyProjectsInThreePagesWithoutGapsWhileRowsAreInserted() {
        AtomicBoolean walking = new AtomicBoolean(true);
        CompletableFuture<Integer> inserter = CompletableFuture.supplyAsync(() -> {
            int n = 0;
            while (walking.get() && n < 40) {
                createProject("late-" + n++);
            }
            return n;
        });
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = Api.as(tenant.admin()).queryParam("limit", 100);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            Response page = request.get("/projects");
            page.then().statusCode(200);
            List<String> ids = page.path("data.id");
            seen.addAll(ids);
            cursor = page.path("next_cursor");
            assertEquals(cursor != null, (Boolean) page.path("has_more"));
            pages++;
            if (pages == 1) {
                createProject("during-walk"); // a row added mid-walk lands after the keyset, never as a duplicate
            }
        } while (cursor != null && seen.size() < 250);
        walking.set(false);
        inserter.join();

        assertEquals(3, pages, "250 rows at limit=100 are three pages");
        assertEquals(new HashSet<>(seen).size(), seen.size(), "no duplicates");
        assertEquals(created, seen.subList(0, 250), "the original rows, oldest first, with no gaps");
    }

    @Test
    void lastPageHasNullCursorAndNoMore() {
        TestTenant small = Api.newTenant();
        Api.as(small.admin()).contentType(ContentType.JSON).body(Map.of("name", "only")).post("/projects").then().statusCode(201);
        Api.as(small.admin()).get("/projects").then().statusCode(200)
                .body("data", hasSize(1)).body("next_cursor", nullValue()).body("has_more", equalTo(false));
    }

    @Test
    void defaultLimitIsFifty() {
        Api.as(tenant.admin()).get("/projects").then().statusCode(200).body("data", hasSize(50)).body("has_more", equalTo(true));
    }

    @Test
    void limitOutsideOneToHundredIs400() {
        for (String limit : List.of("0", "101", "-1", "ten")) {
            Envelope.assertError(Api.as(tenant.admin()).queryParam("limit", limit).get("/projects"), 400, "validation_error")
                    .body("error.details[0].field", equalTo("limit"));
        }
        Api.as(tenant.admin()).queryParam("limit", 1).get("/projects").then().statusCode(200).body("data", hasSize(1));
        Api.as(tenant.admin()).queryParam("limit", 100).get("/projects").then().statusCode(200).body("data", hasSize(100));
    }

    @Test
    void cursorFromAnotherListIs400() {
        String cursor = Api.as(tenant.admin()).queryParam("limit", 1).get("/projects").path("next_cursor");
        Envelope.assertError(Api.operator().queryParam("cursor", cursor).get("/platform/tenants"), 400, "validation_error")
                .body("error.details[0].field", equalTo("cursor"));
    }

    @Test
    void editedCursorIs400() {
        String cursor = Api.as(tenant.admin()).queryParam("limit", 1).get("/projects").path("next_cursor");
        byte[] raw = Base64.getUrlDecoder().decode(cursor);
        raw[raw.length / 2] ^= 0x01;
        String edited = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Envelope.assertError(Api.as(tenant.admin()).queryParam("cursor", edited).get("/projects"), 400, "validation_error");
        Envelope.assertError(Api.as(tenant.admin()).queryParam("cursor", "garbage!").get("/projects"), 400, "validation_error");
    }

    @Test
    void cursorOfAnotherTenantDoesNotLeakRows() {
        String cursor = Api.as(tenant.admin()).queryParam("limit", 1).get("/projects").path("next_cursor");
        TestTenant other = Api.newTenant();
        List<String> ids = Api.as(other.admin()).queryParam("cursor", cursor).get("/projects").then().statusCode(200)
                .extract().path("data.id");
        Set<String> mine = new HashSet<>(created);
        assertTrue(ids.stream().noneMatch(mine::contains));
    }
}
