package io.rimedata.connector.source;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.TestTenant;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** REST API connectors against a local stub API that checks every auth method of §4. */
@QuarkusTest
class RestApiSourceTest {

    private static HttpServer stub;
    private static String base;
    private static TestTenant tenant;
    private static String project;
    private static final Set<String> ACCEPTED = Set.of("Bearer static-token", "Bearer oauth-token",
            "Basic " + Base64.getEncoder().encodeToString("svc:pw".getBytes(StandardCharsets.UTF_8)));

    @BeforeAll
    static void start() throws IOException {
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> reply(exchange, 200, "{\"service\":\"stub\"}"));
        stub.createContext("/oauth/token", exchange -> {
            String expected = "Basic " + Base64.getEncoder().encodeToString("client:secret".getBytes(StandardCharsets.UTF_8));
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean ok = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))
                    && form.contains("grant_type=client_credentials");
            reply(exchange, ok ? 200 : 401, ok ? "{\"access_token\":\"oauth-token\",\"token_type\":\"Bearer\"}" : "{}");
        });
        stub.createContext("/orders", exchange -> {
            boolean ok = ACCEPTED.contains(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")))
                    || "key-1".equals(exchange.getRequestHeaders().getFirst("X-API-Key"));
            reply(exchange, ok ? 200 : 401, ok ? "{\"data\":{\"items\":[{\"id\":1,\"total\":9.5,\"paid\":true},"
                    + "{\"id\":2,\"total\":3,\"paid\":false,\"lines\":[1,2]}]}}" : "{\"error\":\"unauthorized\"}");
        });
        stub.createContext("/customers", exchange -> reply(exchange, 200,
                "[{\"email\":\"a@b.c\",\"since\":\"2026-01-31\"},{\"email\":\"d@e.f\",\"since\":\"2026-02-01\"}]"));
        stub.start();
        base = "http://127.0.0.1:" + stub.getAddress().getPort();
        tenant = Api.newTenant();
        project = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "apis")).post("/projects")
                .then().statusCode(201).extract().path("id");
    }

    @AfterAll
    static void stop() {
        stub.stop(0);
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Map<String, Object> auth(String method) {
        return switch (method) {
            case "bearer" -> Map.of("type", "bearer", "token", "static-token");
            case "api_key" -> Map.of("type", "api_key", "header_name", "X-API-Key", "value", "key-1");
            case "basic" -> Map.of("type", "basic", "username", "svc", "password", "pw");
            case "oauth2_client_credentials" -> Map.of("type", "oauth2_client_credentials",
                    "token_url", base + "/oauth/token", "client_id", "client", "client_secret", "secret", "scope", "read");
            case "wrong_bearer" -> Map.of("type", "bearer", "token", "nope");
            case "wrong_oauth" -> Map.of("type", "oauth2_client_credentials", "token_url", base + "/oauth/token",
                    "client_id", "client", "client_secret", "wrong");
            default -> throw new IllegalArgumentException(method);
        };
    }

    private static String connector(String baseUrl, Map<String, Object> auth) {
        return Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "api-" + Api.randomId(),
                "type", "rest_api", "config", Map.of("base_url", baseUrl, "auth", auth, "endpoints", List.of(
                        Map.of("path", "/orders", "records_path", "data.items"), Map.of("path", "/customers")))))
                .post("/projects/" + project + "/connectors").then().statusCode(201).extract().path("id");
    }

    private static Response test(String id) {
        return Api.as(tenant.admin()).post("/projects/" + project + "/connectors/" + id + "/test");
    }

    @ParameterizedTest
    @ValueSource(strings = { "bearer", "api_key", "basic", "oauth2_client_credentials" })
    void everyAuthMethodPasses(String method) {
        test(connector(base, auth(method))).then().statusCode(200)
                .body("success", equalTo(true))
                .body("checks[2].message", containsString("Read 2 records"));
    }

    @Test
    void refusedCredentialsFailAuthentication() {
        test(connector(base, auth("wrong_bearer"))).then().statusCode(200)
                .body("success", equalTo(false))
                .body("checks[1].status", equalTo("failed"))
                .body("checks[1].message", containsString("HTTP 401"));
        test(connector(base, auth("wrong_oauth"))).then().statusCode(200)
                .body("checks[1].status", equalTo("failed"))
                .body("checks[1].message", containsString("token endpoint refused"));
    }

    @Test
    void unreachableApiFailsReachability() {
        test(connector("http://127.0.0.1:1", auth("bearer"))).then().statusCode(200)
                .body("checks[0].status", equalTo("failed"))
                .body("checks[1].status", equalTo("skipped"));
    }

    @Test
    void discoversOneTablePerEndpoint() {
        String id = connector(base, auth("oauth2_client_credentials"));
        Api.as(tenant.admin()).post("/projects/" + project + "/connectors/" + id + "/schema/refresh").then().statusCode(200)
                .body("tables.name", equalTo(List.of("orders", "customers")))
                .body("tables[0].columns.name", equalTo(List.of("id", "total", "paid", "lines")))
                .body("tables[0].columns.type", equalTo(List.of("integer", "decimal", "boolean", "json")))
                .body("tables[1].columns.type", equalTo(List.of("varchar", "date")));
    }
}
