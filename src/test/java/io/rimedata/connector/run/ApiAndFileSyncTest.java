package io.rimedata.connector.run;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.TestTenant;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Syncs of REST APIs (every pagination style) and uploaded files, each table staged as NDJSON. */
@QuarkusTest
class ApiAndFileSyncTest {

    private static final int ITEMS = 47;
    private static HttpServer stub;
    private static String base;
    private static TestTenant tenant;
    private static String project;

    @BeforeAll
    static void start() throws IOException {
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/paged", exchange -> {
            Map<String, String> q = query(exchange.getRequestURI());
            int page = Integer.parseInt(q.getOrDefault("page", "1"));
            int size = Integer.parseInt(q.getOrDefault("per_page", "10"));
            reply(exchange, "{\"items\":" + items((page - 1) * size, size) + "}", null);
        });
        stub.createContext("/offset", exchange -> {
            Map<String, String> q = query(exchange.getRequestURI());
            reply(exchange, items(Integer.parseInt(q.get("offset")), Integer.parseInt(q.get("limit"))), null);
        });
        stub.createContext("/cursor", exchange -> {
            int from = Integer.parseInt(query(exchange.getRequestURI()).getOrDefault("after", "0"));
            String next = from + 20 < ITEMS ? "\"" + (from + 20) + "\"" : "null";
            reply(exchange, "{\"data\":" + items(from, 20) + ",\"meta\":{\"next\":" + next + "}}", null);
        });
        stub.createContext("/linked", exchange -> {
            int from = Integer.parseInt(query(exchange.getRequestURI()).getOrDefault("from", "0"));
            String link = from + 25 < ITEMS ? "<" + base + "/linked?from=" + (from + 25) + ">; rel=\"next\"" : null;
            reply(exchange, items(from, 25), link);
        });
        stub.start();
        base = "http://127.0.0.1:" + stub.getAddress().getPort();
        tenant = Api.newTenant();
        project = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "sync-apis")).post("/projects")
                .then().statusCode(201).extract().path("id");
    }

    @AfterAll
    static void stop() {
        stub.stop(0);
    }

    private static String items(int from, int count) {
        return IntStream.range(from, Math.min(ITEMS, from + count)).mapToObj(i -> "{\"id\":" + i + ",\"name\":\"n" + i + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static Map<String, String> query(URI uri) {
        if (uri.getRawQuery() == null) {
            return Map.of();
        }
        return Stream.of(uri.getRawQuery().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> p.length > 1 ? p[1] : "", (a, b) -> b));
    }

    private static void reply(HttpExchange exchange, String body, String link) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (link != null) {
            exchange.getResponseHeaders().add("Link", link);
        }
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Response syncToEnd(String connector) {
        String base = "/projects/" + project + "/connectors/" + connector;
        String run = Api.as(tenant.admin()).post(base + "/sync").then().statusCode(202).extract().path("id");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                !"running".equals(Api.as(tenant.admin()).get(base + "/runs/" + run).path("status")));
        return Api.as(tenant.admin()).get(base + "/runs/" + run);
    }

    /** The staged file of the run's {@code position}-th table (named by position, never by table name). */
    private static List<String> staged(String runId, int position) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("target/rime-data/staging"))) {
            Path file = files.filter(p -> p.getParent().getFileName().toString().equals(runId)
                    && p.getFileName().toString().equals("table-" + position + ".ndjson")).findFirst().orElseThrow();
            return Files.readAllLines(file);
        }
    }

    @Test
    void followsEveryPaginationStyleToTheEnd() throws IOException {
        String connector = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "paged-api",
                "type", "rest_api", "config", Map.of("base_url", base, "auth", Map.of("type", "none"), "endpoints", List.of(
                        Map.of("path", "/paged", "records_path", "items",
                                "pagination", Map.of("type", "page", "page_size", 10)),
                        Map.of("path", "/offset", "pagination", Map.of("type", "offset", "page_size", 15)),
                        Map.of("path", "/cursor", "records_path", "data",
                                "pagination", Map.of("type", "cursor", "cursor_param", "after", "next_cursor_path", "meta.next")),
                        Map.of("path", "/linked", "pagination", Map.of("type", "link_header"))))))
                .post("/projects/" + project + "/connectors").then().statusCode(201).extract().path("id");
        Response run = syncToEnd(connector);
        run.then().body("status", equalTo("completed"))
                .body("table_results.name", equalTo(List.of("paged", "offset", "cursor", "linked")))
                .body("table_results.rows_extracted", equalTo(List.of(ITEMS, ITEMS, ITEMS, ITEMS)))
                .body("total_rows", equalTo(4 * ITEMS));
        List<String> tables = List.of("paged", "offset", "cursor", "linked");
        for (int i = 0; i < tables.size(); i++) {
            String table = tables.get(i);
            List<String> lines = staged(run.path("id"), i);
            assertEquals(ITEMS, lines.size(), table);
            assertEquals(ITEMS, lines.stream().distinct().count(), table + " has no duplicates");
        }
    }

    @Test
    void endpointNamesThatLookLikePathsStageInsideTheRunsOwnDirectory() throws IOException {
        String escape = "escape-" + Api.randomId();
        String connector = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "traversal",
                "type", "rest_api", "config", Map.of("base_url", base, "auth", Map.of("type", "none"), "endpoints", List.of(
                        Map.of("path", "/offset", "name", "../../../../" + escape,
                                "pagination", Map.of("type", "offset", "page_size", 50)),
                        Map.of("path", "/offset", "name", "nested/" + escape,
                                "pagination", Map.of("type", "offset", "page_size", 50))))))
                .post("/projects/" + project + "/connectors").then().statusCode(201).extract().path("id");
        Response run = syncToEnd(connector);
        run.then().body("status", equalTo("completed"))
                .body("table_results.name", equalTo(List.of("../../../../" + escape, "nested/" + escape)));
        assertEquals(ITEMS, staged(run.path("id"), 0).size());
        assertEquals(ITEMS, staged(run.path("id"), 1).size());
        try (Stream<Path> files = Files.walk(Path.of("target/rime-data"))) {
            List<Path> named = files.filter(p -> p.toString().contains(escape)).toList();
            assertEquals(List.of(), named, "nothing on the volume is named after the endpoint");
        }
        try (Stream<Path> files = Files.walk(Path.of("target/rime-data/staging"))) {
            List<String> ofRun = files.filter(p -> p.getParent().getFileName().toString().equals(run.<String>path("id")))
                    .map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("table-0.ndjson", "table-1.ndjson"), ofRun);
        }
    }

    @Test
    void syncsAnUploadedCsvWithItsOptions() throws IOException {
        String connector = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "csv-file", "type", "csv",
                "config", Map.of("delimiter", "|", "null_values", List.of("-"))))
                .post("/projects/" + project + "/connectors").then().statusCode(201).extract().path("id");
        Api.as(tenant.admin()).multiPart("file", "people.csv", "name|age\nAda|36\nAlan|-\n".getBytes(StandardCharsets.UTF_8))
                .post("/projects/" + project + "/connectors/" + connector + "/upload").then().statusCode(200);
        Response run = syncToEnd(connector);
        run.then().body("status", equalTo("completed")).body("table_results[0].name", equalTo("people"))
                .body("table_results[0].rows_extracted", equalTo(2));
        List<String> lines = staged(run.path("id"), 0);
        assertEquals(List.of("{\"name\":\"Ada\",\"age\":\"36\"}", "{\"name\":\"Alan\",\"age\":null}"), lines);
    }

    @Test
    void aFileConnectorWithoutAFileFailsItsRun() {
        String connector = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "no-file", "type", "json"))
                .post("/projects/" + project + "/connectors").then().statusCode(201).extract().path("id");
        Response run = syncToEnd(connector);
        run.then().body("status", equalTo("failed"));
        assertTrue(run.<String>path("error").contains("No file has been uploaded"));
    }
}
