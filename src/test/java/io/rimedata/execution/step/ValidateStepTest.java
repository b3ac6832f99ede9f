package io.rimedata.execution.step;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.CustomerDatabase;
import io.rimedata.support.Envelope;
import io.rimedata.support.SecretLeaks;
import io.rimedata.support.TestTenant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The validate step is a probe, not a shell: what an editor could try through a check, and what it gets. */
@QuarkusTest
class ValidateStepTest {

    private static final String SOURCE_DB = "rime_validate_test";
    private static final String READER = "rime_validate_reader";
    private static final String FILE_READER = "rime_validate_file_reader";
    private static final String SECRET = SecretLeaks.secret("s3cr3t-card-4111-" + Api.randomId().substring(0, 8));
    private static TestTenant tenant;
    private static String project;
    private static String reader;
    private static String superuser;
    private static String fileReader;

    @BeforeAll
    static void setUp() throws Exception {
        CustomerDatabase.recreate(SOURCE_DB);
        CustomerDatabase.role(READER);
        CustomerDatabase.role(FILE_READER);
        try (Connection db = CustomerDatabase.connect(SOURCE_DB); Statement s = db.createStatement()) {
            s.execute("create table orders (id integer primary key, amount numeric(10,2) not null)");
            s.execute("insert into orders select g, g from generate_series(1, 10) g");
            s.execute("create table vault (id integer primary key, secret text not null)");
            try (PreparedStatement insert = db.prepareStatement("insert into vault values (1, ?)")) {
                insert.setString(1, SECRET);
                insert.executeUpdate();
            }
            s.execute("grant select on all tables in schema public to " + READER + ", " + FILE_READER);
            s.execute("grant pg_read_server_files to " + FILE_READER);
        }
        tenant = Api.newTenant("business");
        project = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "checks")).post("/projects")
                .then().statusCode(201).extract().path("id");
        reader = connector("reader", READER);
        superuser = connector("superuser", "postgres");
        fileReader = connector("file-reader", FILE_READER);
    }

    private static String connector(String name, String login) {
        return Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", name, "type", "postgresql",
                "config", CustomerDatabase.config(SOURCE_DB, login), "tables", List.of(Map.of("name", "orders"))))
                .post("/projects/" + project + "/connectors").then().statusCode(201).extract().path("id");
    }

    private static String pipelines() {
        return "/projects/" + project + "/pipelines";
    }

    private static Response define(String connector, String sql) {
        return Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "p-" + Api.randomId(), "steps",
                List.of(Map.of("key", "validate", "type", "validate", "config", Map.of("checks", List.of(
                        Map.of("name", "probe", "connector_id", connector, "sql", sql, "expect", "some_rows")))))))
                .post(pipelines());
    }

    /** Runs one check to its end; returns the run. */
    private static Response runCheck(String connector, String sql) {
        String pipeline = define(connector, sql).then().statusCode(201).extract().path("id");
        String run = Api.as(tenant.admin()).post(pipelines() + "/" + pipeline + "/runs").then().statusCode(202)
                .extract().path("id");
        String path = pipelines() + "/" + pipeline + "/runs/" + run;
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            String status = Api.as(tenant.admin()).get(path).path("status");
            return !"running".equals(status) && !"queued".equals(status);
        });
        return Api.as(tenant.admin()).get(path);
    }

    private static String message(Response run) {
        return run.path("steps[0].output.checks[0].message");
    }

    private static String logs(Response run) {
        return Api.as(tenant.admin()).get(pipelines() + "/" + run.path("pipeline_id") + "/runs/" + run.path("id")
                + "/steps/validate/logs").then().statusCode(200).extract().asString();
    }

    @Test
    void aReadOnlyLoginRunsItsCheck() {
        Response run = runCheck(reader, "select 1 from orders where amount > 5;");
        run.then().body("status", equalTo("succeeded")).body("steps[0].output.checks[0].passed", equalTo(true));
    }

    @Test
    void closingTheQueryToAppendAUnionIsA400() {
        Envelope.assertError(define(reader, "select 1 from orders where (amount > 0)) union select secret from vault where (true"),
                400, "validation_error");
        define(reader, "1) union select secret from vault --").then().statusCode(400)
                .body("error.details.field", hasItem("steps[0].config.checks[0].sql"));
    }

    @Test
    void stackedStatementsAreA400() {
        define(reader, "select 1; drop table orders").then().statusCode(400)
                .body("error.details.field", hasItem("steps[0].config.checks[0].sql"))
                .body("error.details.message", hasItem(containsString("single query")));
        define(reader, "delete from orders returning 1").then().statusCode(400)
                .body("error.details.message", hasItem(containsString("Must be a query")));
    }

    @Test
    void twentyKilobytesOfTrailingSemicolonsIsRefusedFast() {
        long start = System.nanoTime();
        define(reader, "select 1" + ";".repeat(20_000)).then().statusCode(400)
                .body("error.details.field", hasItem("steps[0].config.checks[0].sql"));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 2000, "answered without scanning quadratically");
    }

    @Test
    void aSuperuserLoginIsRefusedBeforeTheQueryRuns() {
        Response run = runCheck(superuser, "select pg_read_file('/etc/passwd')");
        run.then().body("status", equalTo("failed")).body("steps[0].output.checks[0].passed", equalTo(false));
        assertTrue(message(run).startsWith("Refused: the connector's login is a superuser"), message(run));
        assertFalse(logs(run).contains("root:"), "no file content");
    }

    @Test
    void aLoginThatMayReadServerFilesIsRefused() {
        Response run = runCheck(fileReader, "select 1 from orders");
        run.then().body("status", equalTo("failed"));
        assertTrue(message(run).startsWith("Refused: the connector's login"), message(run));
    }

    @Test
    void readingAServerFileFailsWithTheSqlStateClassOnly() {
        Response run = runCheck(reader, "select pg_read_file('/etc/passwd')");
        run.then().body("status", equalTo("failed"));
        assertTrue(message(run).equals("The check failed: SQLSTATE class 42 (syntax error or access rule violation)."),
                message(run));
        assertFalse(logs(run).contains("permission denied"), "the server's own words stay out of the log");
    }

    @Test
    void aCastErrorQuotingASecretValueNeverReachesTheLogOrTheRun() {
        Response run = runCheck(reader, "select secret::integer from vault");
        run.then().body("status", equalTo("failed"))
                .body("steps[0].output.checks[0].message", equalTo("The check failed: SQLSTATE class 22 (data exception)."));
        String logs = logs(run);
        assertFalse(logs.contains(SECRET), "the value is not in the step log");
        assertFalse(logs.contains("invalid input syntax"), "nor the server's message");
        assertFalse(run.asString().contains(SECRET), "nor in the run");
        SecretLeaks.checkLog();
    }

    @Test
    void aDivisionByZeroOnASecretValueSaysOnlyItsClass() {
        Response run = runCheck(reader, "select 1 / (length(secret) - " + SECRET.length() + ") from vault");
        run.then().body("status", equalTo("failed"))
                .body("steps[0].output.checks[0].message", equalTo("The check failed: SQLSTATE class 22 (data exception)."));
        String logs = logs(run);
        assertFalse(logs.contains("division by zero"), "the server's message stays out of the log");
        assertFalse(run.asString().contains("division"), "nor in the run");
    }
}
