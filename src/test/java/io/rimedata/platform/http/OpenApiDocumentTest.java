package io.rimedata.platform.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rimedata.support.Api;
import io.rimedata.support.Routes;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The OpenAPI document lists every route of the application, each with its statuses and the error envelope. */
@QuarkusTest
class OpenApiDocumentTest {

    private static final List<String> VERBS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private static JsonPath document() {
        return given().relaxedHTTPSValidation().baseUri("https://localhost").port(Api.HTTPS_PORT)
                .get("/api/openapi.json").then().statusCode(200).extract().jsonPath();
    }

    /** "GET /api/v1/projects/{id}" for every resource method compiled from src/main. */
    static Set<String> declaredRoutes() throws IOException {
        Set<String> routes = new TreeSet<>();
        Routes.all().forEach(route -> routes.add(route.toString()));
        return routes;
    }

    @Test
    void everyRouteIsDocumented() throws IOException {
        Set<String> declared = declaredRoutes();
        assertFalse(declared.isEmpty());
        Map<String, Map<String, Object>> paths = document().getMap("paths");
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, ops) -> ops.keySet().forEach(verb -> {
            if (VERBS.contains(verb.toUpperCase(Locale.ROOT))) {
                documented.add(verb.toUpperCase(Locale.ROOT) + " " + path);
            }
        }));
        Set<String> missing = new TreeSet<>(declared);
        missing.removeAll(documented);
        assertTrue(missing.isEmpty(), "routes missing from the OpenAPI document: " + missing);
    }

    @Test
    void everyOperationDocumentsItsStatusesAndTheErrorEnvelope() throws IOException {
        JsonPath doc = document();
        assertNotNull(doc.get("components.schemas.Error"), "the error envelope schema");
        for (String route : declaredRoutes()) {
            String verb = route.substring(0, route.indexOf(' ')).toLowerCase(Locale.ROOT);
            String path = route.substring(route.indexOf(' ') + 1);
            Map<String, Object> operation = doc.getMap("paths.'" + path + "'." + verb);
            assertNotNull(operation.get("summary"), route + " has a summary");
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> responses = (Map<String, Map<String, Object>>) operation.get("responses");
            assertTrue(responses.keySet().stream().anyMatch(s -> s.startsWith("2")), route + " documents its success");
            for (String status : List.of("400", "401", "403", "404", "429", "500", "503")) {
                Map<String, Object> response = responses.get(status);
                assertNotNull(response, route + " documents " + status);
                assertTrue(response.toString().contains("#/components/schemas/Error"), route + " " + status + " uses the envelope");
            }
        }
    }

    @Test
    void docsArePublic() {
        given().relaxedHTTPSValidation().baseUri("https://localhost").port(Api.HTTPS_PORT).get("/api/openapi.yaml")
                .then().statusCode(200);
        given().relaxedHTTPSValidation().baseUri("https://localhost").port(Api.HTTPS_PORT).get("/api/docs/")
                .then().statusCode(200);
        assertEquals("3", document().getString("openapi").substring(0, 1));
    }
}
