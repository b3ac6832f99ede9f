package io.rimedata.connector.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.SecretLeaks;
import io.rimedata.support.TestTenant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConnectorResourceTest {

    private static final String PG_PASSWORD = SecretLeaks.secret("pg-" + Api.randomId());

    static Map<String, Object> minimalConfig(String type) {
        return switch (type) {
            case "postgresql", "mysql", "mssql" -> Map.of("host", "db.internal", "database", "sales", "username", "loader",
                    "password", "s3cret-" + type);
            case "oracle" -> Map.of("host", "ora", "service_name", "ORCL", "username", "u", "password", "p-oracle");
            case "mongodb" -> Map.of("connection_string", "mongodb://u:p@host/db", "database", "db");
            case "salesforce" -> Map.of("instance_url", "https://acme.my.salesforce.com", "client_id", "c",
                    "client_secret", "cs-sf", "refresh_token", "rt-sf");
            case "xero" -> Map.of("xero_tenant_id", "t", "client_id", "c", "client_secret", "cs-xero");
            case "shopify" -> Map.of("shop_domain", "acme.myshopify.com", "access_token", "shpat");
            case "google_sheets" -> Map.of("spreadsheet_id", "1abc", "service_account_json", "{\"type\":\"service_account\"}");
            case "jira" -> Map.of("instance_url", "https://acme.atlassian.net", "email", "a@b.c", "api_token", "jt",
                    "projects", List.of("DATA"));
            case "github" -> Map.of("organization", "acme", "access_token", "ghp");
            case "gitlab" -> Map.of("group", "acme", "access_token", "glpat");
            case "azure_devops" -> Map.of("organization", "acme", "project", "data", "personal_access_token", "pat");
            case "rest_api" -> Map.of("base_url", "https://api.example.com", "auth", Map.of("type", "bearer", "token", "tok"),
                    "endpoints", List.of(Map.of("path", "/orders")));
            case "csv", "json" -> Map.of();
            default -> throw new IllegalArgumentException(type);
        };
    }

    static List<String> types() {
        return List.of("postgresql", "mysql", "mssql", "mongodb", "oracle", "salesforce", "xero", "shopify",
                "google_sheets", "jira", "github", "gitlab", "azure_devops", "rest_api", "csv", "json");
    }

    private static String project(TestTenant t) {
        return Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "p-" + Api.randomId()))
                .post("/projects").then().statusCode(201).extract().path("id");
    }

    private static Response create(TestTenant t, String projectId, Object body) {
        return Api.as(t.admin()).contentType(ContentType.JSON).body(body).post("/projects/" + projectId + "/connectors");
    }

    @ParameterizedTest
    @MethodSource("types")
    void createsEveryTypeWithItsMinimalConfig(String type) {
        TestTenant t = Api.newTenant();
        create(t, project(t), Map.of("name", type, "type", type, "config", minimalConfig(type))).then().statusCode(201)
                .body("type", equalTo(type)).body("status", equalTo("active")).body("last_run", nullValue());
    }

    @Test
    void secretsAreWriteOnlyAndDefaultsApplied() {
        TestTenant t = Api.newTenant();
        String p = project(t);
        Response r = create(t, p, Map.of("name", "pg", "type", "postgresql", "config", Map.of("host", "db", "database", "d",
                "username", "u", "password", PG_PASSWORD)));
        r.then().statusCode(201)
                .body("config.password.set", equalTo(true))
                .body("config.port", equalTo(5432))
                .body("config.ssl_mode", equalTo("prefer"));
        Api.as(t.admin()).get("/projects/" + p + "/connectors/" + r.path("id")).then().statusCode(200)
                .body("config.password.set", equalTo(true));
    }

    @Test
    void everyBadFieldIsNamed() {
        TestTenant t = Api.newTenant();
        Envelope.assertError(create(t, project(t), Map.of("name", "bad", "type", "postgresql", "config",
                Map.of("port", 70000, "ssl_mode", "sometimes", "colour", "red"))), 400, "validation_error")
                .body("error.details.field", hasItems("config.host", "config.port", "config.database",
                        "config.username", "config.password", "config.ssl_mode", "config.colour"));
    }

    @Test
    void nestedRestApiConfigIsValidatedWithPaths() {
        TestTenant t = Api.newTenant();
        Envelope.assertError(create(t, project(t), Map.of("name", "api", "type", "rest_api", "config", Map.of(
                "base_url", "ftp://nope", "auth", Map.of("type", "basic", "username", "u"),
                "endpoints", List.of(Map.of("method", "DELETE"))))), 400, "validation_error")
                .body("error.details.field", hasItems("config.base_url", "config.auth.password",
                        "config.endpoints[0].path", "config.endpoints[0].method"));
    }

    static List<Object[]> controlCharacters() {
        String redis = "u\r\n*1\r\n$8\r\nFLUSHALL\r\n";
        return List.of(
                new Object[] { "postgresql", Map.of("host", "db", "database", "d", "username", redis, "password", "p"),
                        "config.username" },
                new Object[] { "postgresql", Map.of("host", "db", "database", "d\u0000x", "username", "u", "password", "p"),
                        "config.database" },
                new Object[] { "postgresql", Map.of("host", "db", "database", "d", "username", "u", "password", "p\u0000"),
                        "config.password" },
                new Object[] { "mysql", Map.of("host", "db", "database", "d", "username", "u\u007f", "password", "p"),
                        "config.username" },
                new Object[] { "oracle", Map.of("host", "db", "service_name", "s\u0085", "username", "u", "password", "p"),
                        "config.service_name" },
                new Object[] { "jira", Map.of("instance_url", "https://a.example/\u0000", "email", "a@b.c", "api_token", "t"),
                        "config.instance_url" },
                new Object[] { "rest_api", Map.of("base_url", "https://api.example.com", "auth", Map.of("type", "api_key",
                        "header_name", "X-Key\r\nX-Evil: 1", "value", "v"), "endpoints", List.of(Map.of("path", "/o"))),
                        "config.auth.header_name" },
                new Object[] { "rest_api", Map.of("base_url", "https://api.example.com", "auth", Map.of("type", "bearer",
                        "token", "t\r\nX-Evil: 1"), "endpoints", List.of(Map.of("path", "/o"))), "config.auth.token" },
                new Object[] { "rest_api", Map.of("base_url", "https://api.example.com", "auth", Map.of("type", "basic",
                        "username", "u\nx", "password", "p"), "endpoints", List.of(Map.of("path", "/o"))),
                        "config.auth.username" },
                new Object[] { "rest_api", Map.of("base_url", "https://api.example.com", "auth", Map.of("type", "none"),
                        "endpoints", List.of(Map.of("path", "/o\r\nHost: evil"))), "config.endpoints[0].path" },
                new Object[] { "rest_api", Map.of("base_url", "https://api.example.com", "auth", Map.of("type", "none"),
                        "endpoints", List.of(Map.of("path", "/o", "pagination", Map.of("type", "page",
                                "page_param", "p\u0000")))), "config.endpoints[0].pagination.page_param" },
                new Object[] { "rest_api", Map.of("base_url", "https://api.example.com", "auth", Map.of("type", "none"),
                        "endpoints", List.of(Map.of("path", "/o", "pagination", Map.of("type", "cursor",
                                "cursor_param", "after\u0085", "next_cursor_path", "meta.next")))),
                        "config.endpoints[0].pagination.cursor_param" },
                new Object[] { "postgresql", Map.of("host", "db", "database", "d\u001b[2J", "username", "u", "password", "p"),
                        "config.database" });
    }

    @ParameterizedTest
    @MethodSource("controlCharacters")
    void controlCharactersInFieldsSentOnAWireAreA400NamingTheField(String type, Map<String, Object> config, String field) {
        TestTenant t = Api.newTenant();
        Envelope.assertError(create(t, project(t), Map.of("name", "smuggle", "type", type, "config", config)),
                400, "validation_error").body("error.details.field", hasItem(field));
    }

    @Test
    void controlCharactersInTableAndColumnNamesAreA400() {
        TestTenant t = Api.newTenant();
        Envelope.assertError(create(t, project(t), Map.of("name", "pg", "type", "postgresql", "config",
                minimalConfig("postgresql"), "tables", List.of(Map.of("name", "orders\r\n", "excluded_columns",
                        List.of("a\nb"))))), 400, "validation_error")
                .body("error.details.field", hasItems("tables[0].name", "tables[0].excluded_columns[0]"));
    }

    @Test
    void aPastedKeyFileMayHaveLineBreaks() {
        TestTenant t = Api.newTenant();
        create(t, project(t), Map.of("name", "sheets", "type", "google_sheets", "config", Map.of("spreadsheet_id", "1",
                "service_account_json", "{\n  \"type\": \"service_account\"\n}\n"))).then().statusCode(201);
    }

    private static Response patch(TestTenant t, String p, String id, Object body) {
        return Api.as(t.admin()).contentType(ContentType.JSON).body(body).patch("/projects/" + p + "/connectors/" + id);
    }

    static List<Object[]> destinationChanges() {
        return List.of(
                new Object[] { Map.of("host", "db2.internal"), "config.host" },
                new Object[] { Map.of("port", 6543), "config.port" },
                new Object[] { Map.of("database", "other"), "config.database" },
                new Object[] { Map.of("host", "collector.example", "username", "loader"), "config.host" });
    }

    @ParameterizedTest
    @MethodSource("destinationChanges")
    void movingAConnectorWithoutItsPasswordIsA422NamingIt(Map<String, Object> change, String field) {
        TestTenant t = Api.newTenant();
        String p = project(t);
        String password = SecretLeaks.secret("pg-moving-" + Api.randomId());
        String id = create(t, p, Map.of("name", "pg", "type", "postgresql", "config", Map.of("host", "db.internal",
                "database", "sales", "username", "loader", "password", password))).then().statusCode(201).extract().path("id");
        Envelope.assertError(patch(t, p, id, Map.of("config", change)), 422, "unprocessable_entity")
                .body("error.details.field", equalTo(List.of("config.password")))
                .body("error.message", org.hamcrest.Matchers.containsString(field));
        Api.as(t.admin()).get("/projects/" + p + "/connectors/" + id).then().statusCode(200)
                .body("config.host", equalTo("db.internal")).body("config.port", equalTo(5432))
                .body("config.database", equalTo("sales"));

        Map<String, Object> withPassword = new java.util.HashMap<>(change);
        withPassword.put("password", SecretLeaks.secret(password + "-new"));
        patch(t, p, id, Map.of("config", withPassword)).then().statusCode(200).body("config.password.set", equalTo(true));
    }

    @Test
    void changesThatKeepTheDestinationKeepTheSecrets() {
        TestTenant t = Api.newTenant();
        String p = project(t);
        String id = create(t, p, Map.of("name", "pg", "type", "postgresql", "config", minimalConfig("postgresql")))
                .then().statusCode(201).extract().path("id");
        patch(t, p, id, Map.of("name", "renamed", "config", Map.of("username", "reporter", "port", 5432)))
                .then().statusCode(200).body("config.password.set", equalTo(true)).body("config.username", equalTo("reporter"));
    }

    @Test
    void movingARestApiToAnotherBaseUrlOrTokenUrlNeedsItsSecretsAgain() {
        TestTenant t = Api.newTenant();
        String p = project(t);
        String id = create(t, p, Map.of("name", "api", "type", "rest_api", "config", Map.of("base_url", "https://api.example.com",
                "auth", Map.of("type", "bearer", "token", SecretLeaks.secret("tok-" + Api.randomId())),
                "endpoints", List.of(Map.of("path", "/orders"))))).then().statusCode(201).extract().path("id");
        Envelope.assertError(patch(t, p, id, Map.of("config", Map.of("base_url", "https://collector.example"))),
                422, "unprocessable_entity").body("error.details.field", equalTo(List.of("config.auth.token")));
        patch(t, p, id, Map.of("config", Map.of("base_url", "https://collector.example",
                "auth", Map.of("token", SecretLeaks.secret("tok-new-" + Api.randomId()))))).then().statusCode(200);

        String oauth = create(t, p, Map.of("name", "oauth", "type", "rest_api", "config", Map.of(
                "base_url", "https://api.example.com", "auth", Map.of("type", "oauth2_client_credentials",
                        "token_url", "https://auth.example.com/token", "client_id", "c",
                        "client_secret", SecretLeaks.secret("cs-" + Api.randomId())),
                "endpoints", List.of(Map.of("path", "/orders"))))).then().statusCode(201).extract().path("id");
        Envelope.assertError(patch(t, p, oauth, Map.of("config", Map.of("auth", Map.of("token_url", "https://collector.example/t")))),
                422, "unprocessable_entity").body("error.details.field", equalTo(List.of("config.auth.client_secret")));
    }

    @Test
    void secretsReSuppliedByPatchObeyTheFieldRules() {
        TestTenant t = Api.newTenant();
        String p = project(t);
        String id = create(t, p, Map.of("name", "pg", "type", "postgresql", "config", minimalConfig("postgresql")))
                .then().statusCode(201).extract().path("id");
        Envelope.assertError(patch(t, p, id, Map.of("config", Map.of("password", "p\r\nx"))), 400, "validation_error")
                .body("error.details.field", hasItem("config.password"));
        Envelope.assertError(patch(t, p, id, Map.of("config", Map.of("password", "x".repeat(20_001)))), 400, "validation_error")
                .body("error.details.field", hasItem("config.password"));
    }

    @Test
    void incrementalTablesNeedACursorColumn() {
        TestTenant t = Api.newTenant();
        Envelope.assertError(create(t, project(t), Map.of("name", "pg", "type", "postgresql",
                "config", minimalConfig("postgresql"), "tables", List.of(Map.of("name", "orders", "sync_mode", "incremental")))),
                400, "validation_error").body("error.details[0].field", equalTo("tables[0].cursor_column"));
    }

    @Test
    void patchReplacesSecretsAndDropsThoseOfARemovedVariant() {
        TestTenant t = Api.newTenant();
        String p = project(t);
        String id = create(t, p, Map.of("name", "api", "type", "rest_api", "config", minimalConfig("rest_api")))
                .then().statusCode(201).extract().path("id");
        Api.as(t.admin()).contentType(ContentType.JSON)
                .body(Map.of("config", Map.of("auth", Map.of("type", "basic", "username", "svc", "password", "pw-basic"))))
                .patch("/projects/" + p + "/connectors/" + id).then().statusCode(200)
                .body("config.auth.type", equalTo("basic"))
                .body("config.auth.password.set", equalTo(true))
                .body("config.auth.token", nullValue());
        Envelope.assertError(Api.as(t.admin()).contentType(ContentType.JSON)
                .body("{\"config\":{\"auth\":{\"password\":null}}}").patch("/projects/" + p + "/connectors/" + id),
                400, "validation_error").body("error.details[0].field", equalTo("config.auth.password"));
        Envelope.assertError(Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("type", "csv"))
                .patch("/projects/" + p + "/connectors/" + id), 400, "validation_error");
    }

    @Test
    void scheduleAndStatusAreValidated() {
        TestTenant t = Api.newTenant();
        String p = project(t);
        create(t, p, Map.of("name", "sched", "type", "csv", "status", "paused",
                "schedule", Map.of("cron", "0 2 * * * | 30 14 * * 1-5", "timezone", "Pacific/Auckland")))
                .then().statusCode(201).body("status", equalTo("paused"))
                .body("schedule.concurrency_policy", equalTo("skip")).body("schedule.enabled", equalTo(true));
        Envelope.assertError(create(t, p, Map.of("name", "bad", "type", "csv", "status", "sleeping",
                "schedule", Map.of("cron", "every day", "timezone", "Moon/Base"))), 400, "validation_error")
                .body("error.details.field", hasItems("status", "schedule.cron", "schedule.timezone"));
    }

    @Test
    void namesAreUniquePerProject() {
        TestTenant t = Api.newTenant();
        String p = project(t);
        create(t, p, Map.of("name", "same", "type", "csv")).then().statusCode(201);
        Envelope.assertError(create(t, p, Map.of("name", "SAME", "type", "json")), 409, "conflict");
        create(t, project(t), Map.of("name", "same", "type", "csv")).then().statusCode(201);
    }

    @Test
    void freeTierCapsConnectorsPerProject() {
        TestTenant t = Api.newTenant("free");
        String p = project(t);
        for (int i = 0; i < 5; i++) {
            create(t, p, Map.of("name", "c" + i, "type", "csv")).then().statusCode(201);
        }
        Envelope.assertError(create(t, p, Map.of("name", "c6", "type", "csv")), 403, "forbidden")
                .body("error.message", org.hamcrest.Matchers.containsString("limit: connectors_per_project"));
    }

    @Test
    void listsWithFiltersAndIsolatesTenantsAndProjects() {
        TestTenant t = Api.newTenant();
        TestTenant other = Api.newTenant();
        String p = project(t);
        String q = project(t);
        String id = create(t, p, Map.of("name", "a", "type", "csv")).path("id");
        create(t, p, Map.of("name", "b", "type", "json", "status", "paused")).then().statusCode(201);
        Api.as(t.admin()).queryParam("type", "json").get("/projects/" + p + "/connectors").then().statusCode(200)
                .body("data.name", equalTo(List.of("b")));
        Api.as(t.admin()).queryParam("status", "active").get("/projects/" + p + "/connectors").then().statusCode(200)
                .body("data.name", equalTo(List.of("a")));
        Envelope.assertError(Api.as(t.admin()).queryParam("type", "ftp").get("/projects/" + p + "/connectors"), 400, "validation_error");
        Envelope.assertError(Api.as(t.admin()).get("/projects/" + q + "/connectors/" + id), 404, "resource_not_found");
        Envelope.assertError(Api.as(other.admin()).get("/projects/" + p + "/connectors/" + id), 404, "resource_not_found");
        Envelope.assertError(Api.as(other.admin()).get("/projects/" + p + "/connectors"), 404, "resource_not_found");
        Api.as(t.admin()).get("/projects/" + q + "/connectors").then().body("data.id", not(hasItem(id)));
    }

    @Test
    void deleteRemovesAndHonoursIfMatch() {
        TestTenant t = Api.newTenant();
        String p = project(t);
        Response created = create(t, p, Map.of("name", "gone", "type", "csv"));
        String path = "/projects/" + p + "/connectors/" + created.path("id");
        Envelope.assertError(Api.as(t.admin()).header("If-Match", "\"stale\"").delete(path), 412, "precondition_failed");
        Api.as(t.admin()).header("If-Match", created.header("ETag")).delete(path).then().statusCode(204);
        Envelope.assertError(Api.as(t.admin()).get(path), 404, "resource_not_found");
    }

    @Test
    void viewersReadEditorsWrite() {
        TestTenant t = Api.newTenant();
        String p = project(t);
        TestTenant.Session viewer = Api.minted(t.subdomain(), "viewer", Api.randomId());
        Api.as(viewer).get("/projects/" + p + "/connectors").then().statusCode(200);
        Envelope.assertError(Api.as(viewer).contentType(ContentType.JSON).body(Map.of("name", "x", "type", "csv"))
                .post("/projects/" + p + "/connectors"), 403, "forbidden");
    }

    @Test
    void nextFireTimesUseTheScheduleOrProjectTimeZone() {
        TestTenant t = Api.newTenant();
        String p = Api.as(t.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "tz", "settings", Map.of("default_timezone", "Europe/Berlin"))).post("/projects")
                .then().statusCode(201).extract().path("id");
        String withZone = create(t, p, Map.of("name", "a", "type", "csv",
                "schedule", Map.of("cron", "0 9 * * *", "timezone", "Pacific/Auckland"))).path("id");
        String inherited = create(t, p, Map.of("name", "b", "type", "csv", "schedule", Map.of("cron", "0 9 * * * | 30 17 * * 1-5")))
                .path("id");
        String none = create(t, p, Map.of("name", "c", "type", "csv")).path("id");
        Api.as(t.admin()).queryParam("count", 3).get("/projects/" + p + "/connectors/" + withZone + "/schedule/next")
                .then().statusCode(200).body("timezone", equalTo("Pacific/Auckland")).body("next.size()", equalTo(3));
        Api.as(t.admin()).get("/projects/" + p + "/connectors/" + inherited + "/schedule/next")
                .then().statusCode(200).body("timezone", equalTo("Europe/Berlin")).body("next.size()", equalTo(5));
        Envelope.assertError(Api.as(t.admin()).get("/projects/" + p + "/connectors/" + none + "/schedule/next"),
                404, "resource_not_found");
        Envelope.assertError(Api.as(t.admin()).queryParam("count", 0).get("/projects/" + p + "/connectors/" + withZone
                + "/schedule/next"), 400, "validation_error");
        Envelope.assertError(create(t, p, Map.of("name", "bad-cron", "type", "csv", "schedule", Map.of("cron", "61 * * * *"))),
                400, "validation_error")
                .body("error.details[0].field", equalTo("schedule.cron"))
                .body("error.details[0].message", org.hamcrest.Matchers.containsString("minute"));
    }
}
