package io.rimedata.connector.file;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CSV and JSON connectors: upload, connection test and type inference, with the documented CSV options. */
@QuarkusTest
class FileConnectorTest {

    private static TestTenant tenant;
    private static String project;

    @BeforeAll
    static void setUp() {
        tenant = Api.newTenant();
        project = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "files")).post("/projects")
                .then().statusCode(201).extract().path("id");
    }

    private static String connector(String type, Map<String, Object> config) {
        return Api.as(tenant.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", type + "-" + Api.randomId(), "type", type, "config", config))
                .post("/projects/" + project + "/connectors").then().statusCode(201).extract().path("id");
    }

    private static Response upload(String connectorId, String fileName, String content) {
        return Api.as(tenant.admin()).multiPart("file", fileName, content.getBytes(StandardCharsets.UTF_8), "text/plain")
                .post("/projects/" + project + "/connectors/" + connectorId + "/upload");
    }

    private static String path(String connectorId) {
        return "/projects/" + project + "/connectors/" + connectorId;
    }

    @Test
    void csvWithTheDocumentedOptionsIsTestedAndTyped() {
        String id = connector("csv", Map.of("delimiter", ";", "quote", "'", "header_row", true, "skip_rows", 1,
                "null_values", List.of("NA")));
        String csv = "exported by the shop on 28/11/2026\n"
                + "id;amount;placed;active;note;seen_at\n"
                + "1;10.50;28/11/2026;yes;'first; with delimiter';2026-11-28T10:00:00Z\n"
                + "2;NA;01/02/2026;no;plain;2026-11-28 11:30\n"
                + "3;7;13/01/2026;YES;NA;NA\n";
        upload(id, "orders.csv", csv).then().statusCode(200).body("file_name", equalTo("orders.csv"))
                .body("size_bytes", equalTo(csv.length()));
        Api.as(tenant.admin()).post(path(id) + "/test").then().statusCode(200)
                .body("success", equalTo(true))
                .body("checks[2].message", equalTo("Parsed 3 records with 6 columns."));
        Api.as(tenant.admin()).post(path(id) + "/schema/refresh").then().statusCode(200)
                .body("tables[0].name", equalTo("orders"))
                .body("tables[0].columns.name", equalTo(List.of("id", "amount", "placed", "active", "note", "seen_at")))
                .body("tables[0].columns.type", equalTo(List.of("integer", "decimal", "date", "boolean", "varchar", "timestamp")));
    }

    @Test
    void jsonRecordsUnderAPathAreTyped() {
        String id = connector("json", Map.of("records_path", "data.items"));
        upload(id, "events.json", "{\"meta\":{\"n\":2},\"data\":{\"items\":["
                + "{\"id\":1,\"ok\":true,\"at\":\"2026-11-28T10:00:00Z\",\"tags\":[\"a\"],\"price\":1.5},"
                + "{\"id\":2,\"ok\":false,\"at\":\"2026-11-29T10:00:00Z\",\"tags\":[],\"price\":2}]}}")
                .then().statusCode(200);
        Api.as(tenant.admin()).post(path(id) + "/schema/refresh").then().statusCode(200)
                .body("tables[0].name", equalTo("events"))
                .body("tables[0].columns.name", equalTo(List.of("id", "ok", "at", "tags", "price")))
                .body("tables[0].columns.type", equalTo(List.of("integer", "boolean", "timestamp", "json", "decimal")));
    }

    @Test
    void aFileThatDoesNotParseFailsItsTestAndDiscovery() {
        String id = connector("csv", Map.of());
        upload(id, "broken.csv", "id,name\n1,\"never closed\n").then().statusCode(200);
        Api.as(tenant.admin()).post(path(id) + "/test").then().statusCode(200)
                .body("success", equalTo(false))
                .body("checks[2].status", equalTo("failed"))
                .body("checks[2].message", containsString("quoted field"));
        Envelope.assertError(Api.as(tenant.admin()).post(path(id) + "/schema/refresh"), 422, "unprocessable_entity");
    }

    @Test
    void withoutAFileTheTestSaysSo() {
        String id = connector("json", Map.of());
        Api.as(tenant.admin()).post(path(id) + "/test").then().statusCode(200)
                .body("checks[0].status", equalTo("failed"))
                .body("checks[0].message", containsString("No file has been uploaded"));
    }

    @Test
    void uploadsAreForFileConnectorsOnlyAndBounded() {
        String pg = connector("postgresql", Map.of("host", "h", "database", "d", "username", "u", "password", "p"));
        Envelope.assertError(upload(pg, "x.csv", "a\n1\n"), 422, "unprocessable_entity");
        String csv = connector("csv", Map.of());
        Envelope.assertError(upload(csv, "big.csv", "x".repeat(2_200_000)), 413, "payload_too_large");
        Envelope.assertError(Api.as(tenant.admin()).multiPart("other", "x").post(path(csv) + "/upload"), 400, "validation_error");
    }
}
