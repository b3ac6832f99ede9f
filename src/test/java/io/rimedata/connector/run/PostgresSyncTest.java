package io.rimedata.connector.run;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.CustomerDatabase;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** End to end against a source database the test seeds: sync, staged output, incremental, overlap, cancel. */
@QuarkusTest
class PostgresSyncTest {

    private static final String SOURCE_DB = "rime_sync_test";
    private static TestTenant tenant;
    private static String project;

    @BeforeAll
    static void seed() throws Exception {
        CustomerDatabase.recreate(SOURCE_DB);
        try (Connection db = source(); Statement s = db.createStatement()) {
            s.execute("create schema shop");
            s.execute("create table shop.orders (id integer primary key, amount numeric(10,2) not null)");
            s.execute("insert into shop.orders select g, g * 1.5 from generate_series(1, 2500) g");
            s.execute("create table shop.customers (id integer primary key, email text not null, ssn text)");
            s.execute("insert into shop.customers select g, 'c' || g || '@x.test', 'ssn-' || g from generate_series(1, 10) g");
            s.execute("create table shop.even (id integer primary key)");
            s.execute("insert into shop.even select g from generate_series(1, 2000) g");
            s.execute("create table shop.big (id bigint primary key, payload text not null)");
            s.execute("insert into shop.big select g, repeat('x', 200) from generate_series(1, 300000) g");
        }
        tenant = Api.newTenant();
        project = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "sync")).post("/projects")
                .then().statusCode(201).extract().path("id");
    }

    private static Connection source() throws Exception {
        return CustomerDatabase.connect(SOURCE_DB);
    }

    private static String connector(String name, List<Map<String, Object>> tables) {
        return Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", name, "type", "postgresql",
                "config", CustomerDatabase.config(SOURCE_DB, "postgres"), "tables", tables))
                .post("/projects/" + project + "/connectors").then().statusCode(201).extract().path("id");
    }

    private static String base(String connectorId) {
        return "/projects/" + project + "/connectors/" + connectorId;
    }

    private static String startSync(String connectorId) {
        return Api.as(tenant.admin()).post(base(connectorId) + "/sync").then().statusCode(202)
                .body("status", equalTo("running")).body("trigger", equalTo("manual")).extract().path("id");
    }

    private static Response awaitEnd(String connectorId, String runId) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                !"running".equals(Api.as(tenant.admin()).get(base(connectorId) + "/runs/" + runId).path("status")));
        return Api.as(tenant.admin()).get(base(connectorId) + "/runs/" + runId);
    }

    /** The staged file of the run's {@code position}-th table (named by position, never by table name). */
    private static Path staged(String runId, int position) throws Exception {
        try (Stream<Path> files = Files.walk(Path.of("target/rime-data/staging"))) {
            return files.filter(p -> p.getParent().getFileName().toString().equals(runId)
                    && p.getFileName().toString().equals("table-" + position + ".ndjson")).findFirst().orElseThrow();
        }
    }

    @Test
    void syncsSelectedTablesIncrementallyAndReportsAMissingOne() throws Exception {
        String id = connector("shop", List.of(
                Map.of("name", "shop.orders", "sync_mode", "incremental", "cursor_column", "id"),
                Map.of("name", "shop.customers", "excluded_columns", List.of("ssn")),
                Map.of("name", "shop.gone")));
        String run = startSync(id);
        awaitEnd(id, run).then().statusCode(200)
                .body("status", equalTo("partially_failed"))
                .body("total_rows", equalTo(2510))
                .body("tables.attempted", equalTo(3)).body("tables.succeeded", equalTo(2)).body("tables.failed", equalTo(1))
                .body("table_results.name", equalTo(List.of("shop.orders", "shop.customers", "shop.gone")))
                .body("table_results.rows_extracted", equalTo(List.of(2500, 10, 0)))
                .body("table_results[2].error", org.hamcrest.Matchers.containsString("does not exist"))
                .body("duration_ms", org.hamcrest.Matchers.greaterThanOrEqualTo(0));
        List<String> orders = Files.readAllLines(staged(run, 0));
        assertEquals(2500, orders.size());
        assertTrue(orders.getFirst().contains("\"id\":1"));
        List<String> customers = Files.readAllLines(staged(run, 1));
        assertEquals(10, customers.size());
        assertFalse(customers.stream().anyMatch(line -> line.contains("ssn")), "excluded columns are not extracted");

        try (Connection db = source(); Statement s = db.createStatement()) {
            s.execute("insert into shop.orders select g, 1 from generate_series(2501, 2505) g");
        }
        String second = startSync(id);
        awaitEnd(id, second).then().body("table_results[0].rows_extracted", equalTo(5))
                .body("table_results[1].rows_extracted", equalTo(10));
        assertEquals(List.of(2501, 2502, 2503, 2504, 2505), Files.readAllLines(staged(second, 0)).stream()
                .map(line -> Integer.parseInt(line.replaceAll(".*\"id\":(\\d+).*", "$1"))).toList());
        assertConsecutiveEvents(run);
        Api.as(tenant.admin()).queryParam("status", "partially_failed").get(base(id) + "/runs").then().statusCode(200)
                .body("data.id", equalTo(List.of(second, run)));
    }

    @Test
    void aTableOfWholeBatchesReportsEachBatchOnce() throws Exception {
        String id = connector("even", List.of(Map.of("name", "shop.even")));
        String run = startSync(id);
        awaitEnd(id, run).then().body("status", equalTo("completed")).body("total_rows", equalTo(2000));
        List<String> progress = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/"
                + System.getProperty("rime.test.database", "rime_test"), "postgres", "");
                Statement s = db.createStatement();
                ResultSet rows = s.executeQuery("select payload from run_events where run_id = '" + run
                        + "' and type = 'table.progress' order by seq")) {
            while (rows.next()) {
                progress.add(rows.getString(1).replaceAll(".*\"rows_extracted\":(\\d+).*", "$1"));
            }
        }
        assertEquals(List.of("1000", "2000"), progress);
    }

    @Test
    void anOverlappingManualSyncIs409AndCancelStopsARun() {
        String id = connector("big", List.of(Map.of("name", "shop.big")));
        String run = startSync(id);
        Envelope.assertError(Api.as(tenant.admin()).post(base(id) + "/sync"), 409, "conflict");
        Api.as(tenant.admin()).post(base(id) + "/runs/" + run + "/cancel").then().statusCode(202);
        awaitEnd(id, run).then().body("status", equalTo("cancelled"));
        Envelope.assertError(Api.as(tenant.admin()).post(base(id) + "/runs/" + run + "/cancel"), 409, "conflict");
    }

    @Test
    void aPostgresConnectorWithoutTablesCannotSync() {
        String id = connector("empty", List.of());
        Envelope.assertError(Api.as(tenant.admin()).post(base(id) + "/sync"), 422, "unprocessable_entity");
        Envelope.assertError(Api.as(tenant.admin()).get(base(id) + "/runs/" + Api.randomId()), 404, "resource_not_found");
    }

    private static void assertConsecutiveEvents(String runId) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/"
                + System.getProperty("rime.test.database", "rime_test"), "postgres", "");
                Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("select seq, type from run_events where run_id = '" + runId + "' order by seq")) {
            List<Long> seqs = new ArrayList<>();
            List<String> types = new ArrayList<>();
            while (rs.next()) {
                seqs.add(rs.getLong(1));
                types.add(rs.getString(2));
            }
            for (int i = 0; i < seqs.size(); i++) {
                assertEquals(i + 1, seqs.get(i), "seq increases by exactly one");
            }
            assertEquals("run.status", types.getFirst());
            assertEquals("run.finished", types.getLast());
        }
    }
}
