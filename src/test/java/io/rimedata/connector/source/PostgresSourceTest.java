package io.rimedata.connector.source;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.CustomerDatabase;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Connection tests and schema discovery against a source database the test seeds on the customer PostgreSQL. */
@QuarkusTest
@TestProfile(ShortTimeoutsProfile.class)
class PostgresSourceTest {

    private static final String SOURCE_DB = "rime_source_test";
    private static TestTenant tenant;
    private static String project;
    private static ServerSocket silentServer;
    private static final List<Socket> held = new ArrayList<>();

    @BeforeAll
    static void seedSource() throws Exception {
        CustomerDatabase.recreate(SOURCE_DB);
        CustomerDatabase.role("rime_noread");
        try (Connection db = CustomerDatabase.connect(SOURCE_DB);
                Statement s = db.createStatement()) {
            s.execute("create schema shop");
            s.execute("create table shop.orders (id integer primary key, amount numeric(12,2) not null, note text, "
                    + "placed_at timestamptz not null default now())");
            s.execute("create table shop.customers (id bigint primary key, email varchar(320) not null)");
        }
        silentServer = new ServerSocket(0);
        Thread acceptor = new Thread(() -> {
            try {
                while (!silentServer.isClosed()) {
                    held.add(silentServer.accept()); // accepts and never answers: a hung database
                }
            } catch (Exception ignored) {
                // closed at the end of the class
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        tenant = Api.newTenant();
        project = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "sources")).post("/projects")
                .then().statusCode(201).extract().path("id");
    }

    @AfterAll
    static void stop() throws Exception {
        silentServer.close();
        for (Socket socket : held) {
            socket.close();
        }
    }

    private static String connector(String name, Map<String, Object> config, List<Map<String, Object>> tables) {
        return Api.as(tenant.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "type", "postgresql", "config", config, "tables", tables))
                .post("/projects/" + project + "/connectors").then().statusCode(201).extract().path("id");
    }

    private static Map<String, Object> config(String user, int port) {
        return Map.of("host", CustomerDatabase.HOST, "port", port, "database", SOURCE_DB, "username", user,
                "password", "any-password", "ssl_mode", "disable");
    }

    private static Response test(String connectorId) {
        return Api.as(tenant.admin()).post("/projects/" + project + "/connectors/" + connectorId + "/test");
    }

    @Test
    void reachableSourcePassesEveryCheck() {
        String id = connector("ok", config("postgres", CustomerDatabase.port()), List.of(Map.of("name", "shop.orders")));
        test(id).then().statusCode(200)
                .body("success", equalTo(true))
                .body("checks.name", equalTo(List.of("reachability", "authentication", "read_permission")))
                .body("checks.status", equalTo(List.of("passed", "passed", "passed")));
    }

    @Test
    void refusedLoginFailsAuthenticationWithTheServersReason() {
        String id = connector("ghost", config("ghost_user", CustomerDatabase.port()), List.of());
        test(id).then().statusCode(200)
                .body("success", equalTo(false))
                .body("checks[0].status", equalTo("passed"))
                .body("checks[1].status", equalTo("failed"))
                .body("checks[1].message", containsString("ghost_user"))
                .body("checks[2].status", equalTo("skipped"));
    }

    @Test
    void missingPermissionAndMissingTablesFailReadPermission() {
        String id = connector("noread", config("rime_noread", CustomerDatabase.port()),
                List.of(Map.of("name", "shop.orders"), Map.of("name", "shop.nowhere")));
        test(id).then().statusCode(200)
                .body("checks[1].status", equalTo("passed"))
                .body("checks[2].status", equalTo("failed"))
                .body("checks[2].message", containsString("Not found: shop.nowhere"))
                .body("checks[2].message", containsString("No SELECT permission on: shop.orders"));
    }

    @Test
    void unreachablePortFailsFast() {
        String id = connector("closed", config("postgres", 1), List.of());
        test(id).then().statusCode(200)
                .body("checks[0].status", equalTo("failed"))
                .body("checks[0].message", containsString("127.0.0.1:1"))
                .body("duration_ms", lessThan(2500));
    }

    @Test
    void aServerThatNeverAnswersFailsWithinTheTimeout() {
        String id = connector("silent", config("postgres", silentServer.getLocalPort()), List.of());
        long start = System.nanoTime();
        test(id).then().statusCode(200)
                .body("checks[0].status", equalTo("passed"))
                .body("checks[1].status", equalTo("failed"))
                .body("checks[1].message", containsString("No answer within 2 s"));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5000, "bounded by the timeout");
    }

    @Test
    void discoversTablesColumnsTypesAndNullability() {
        String id = connector("discover", config("postgres", CustomerDatabase.port()), List.of());
        String base = "/projects/" + project + "/connectors/" + id + "/schema";
        Envelope.assertError(Api.as(tenant.admin()).get(base), 404, "resource_not_found");
        Api.as(tenant.admin()).post(base + "/refresh").then().statusCode(200)
                .body("tables.name", equalTo(List.of("shop.customers", "shop.orders")))
                .body("tables.find { it.name == 'shop.orders' }.columns.name", equalTo(List.of("id", "amount", "note", "placed_at")))
                .body("tables.find { it.name == 'shop.orders' }.columns.find { it.name == 'amount' }.type", equalTo("numeric"))
                .body("tables.find { it.name == 'shop.orders' }.columns.find { it.name == 'amount' }.nullable", equalTo(false))
                .body("tables.find { it.name == 'shop.orders' }.columns.find { it.name == 'note' }.nullable", equalTo(true));
        Api.as(tenant.admin()).get(base).then().statusCode(200).body("tables.name", hasItem("shop.orders"));
    }

    @Test
    void discoveryOfAnUnreachableSourceIs422() {
        String id = connector("gone", config("postgres", 1), List.of());
        Envelope.assertError(Api.as(tenant.admin()).post("/projects/" + project + "/connectors/" + id + "/schema/refresh"),
                422, "unprocessable_entity");
    }

    @Test
    void typesForRunnersSaySoPlainly() {
        String id = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "my", "type", "mysql",
                "config", Map.of("host", "db", "database", "d", "username", "u", "password", "p")))
                .post("/projects/" + project + "/connectors").then().statusCode(201).extract().path("id");
        test(id).then().statusCode(200).body("success", equalTo(false))
                .body("checks.status", equalTo(List.of("skipped", "skipped", "skipped")))
                .body("checks[0].message", containsString("no runner is registered"));
        Envelope.assertError(Api.as(tenant.admin()).post("/projects/" + project + "/connectors/" + id + "/schema/refresh"),
                422, "unprocessable_entity");
    }
}
