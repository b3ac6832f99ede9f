package io.rimedata.execution;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.rimedata.execution.service.RunnerJobs;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** External runners: registration, leases (with expiry), completion, failure and deadlines of connector syncs. */
@QuarkusTest
class RunnerApiTest {

    @Inject
    RunnerJobs jobs;

    private record Setup(TestTenant tenant, String project, String connector) {
    }

    private static Setup mysqlConnector() {
        TestTenant t = Api.newTenant();
        String project = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "runners")).post("/projects")
                .then().statusCode(201).extract().path("id");
        String connector = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "erp", "type", "mysql",
                "config", Map.of("host", "erp.internal", "database", "erp", "username", "reader", "password", "mysql-pw"),
                "tables", List.of(Map.of("name", "orders"))))
                .post("/projects/" + project + "/connectors").then().statusCode(201).extract().path("id");
        return new Setup(t, project, connector);
    }

    private static String register(TestTenant t, String name) {
        return Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", name)).post("/runners")
                .then().statusCode(201).body("token", org.hamcrest.Matchers.startsWith("rnr_")).extract().path("token");
    }

    private static RequestSpecification asRunner(TestTenant t, String token) {
        return Api.tenant(t.subdomain()).header("Authorization", "Bearer " + token);
    }

    private static String sync(Setup s) {
        return Api.as(s.tenant().admin()).post("/projects/" + s.project() + "/connectors/" + s.connector() + "/sync")
                .then().statusCode(202).extract().path("id");
    }

    private static Response run(Setup s, String runId) {
        return Api.as(s.tenant().admin()).get("/projects/" + s.project() + "/connectors/" + s.connector() + "/runs/" + runId);
    }

    /** Polls as a runner until a job is offered; answers the lease. */
    private static Response leaseWhenQueued(TestTenant t, String token) {
        Response[] leased = new Response[1];
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            leased[0] = asRunner(t, token).post("/runner/jobs/lease");
            return leased[0].statusCode() == 200;
        });
        return leased[0];
    }

    @Test
    void aRunnerLeasesASyncAndItsResultEndsTheRun() {
        Setup s = mysqlConnector();
        String token = register(s.tenant(), "dc-1");
        String runId = sync(s);
        Response[] leased = new Response[1];
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            leased[0] = asRunner(s.tenant(), token).post("/runner/jobs/lease");
            return leased[0].statusCode() == 200;
        });
        leased[0].then().body("kind", equalTo("connector_sync")).body("attempt", equalTo(1))
                .body("payload.run_id", equalTo(runId))
                .body("payload.type", equalTo("mysql"))
                .body("payload.config.host", equalTo("erp.internal"))
                .body("payload.config.password", equalTo("mysql-pw"))
                .body("payload.tables[0].name", equalTo("orders"));
        String job = leased[0].path("id");
        asRunner(s.tenant(), token).post("/runner/jobs/" + job + "/heartbeat").then().statusCode(200);
        asRunner(s.tenant(), token).post("/runner/jobs/lease").then().statusCode(204);
        asRunner(s.tenant(), token).contentType(ContentType.JSON)
                .body(Map.of("result", Map.of("tables", List.of(Map.of("name", "orders", "status", "completed", "rows_extracted", 42)))))
                .post("/runner/jobs/" + job + "/complete").then().statusCode(204);
        run(s, runId).then().body("status", equalTo("completed")).body("total_rows", equalTo(42))
                .body("table_results[0].rows_extracted", equalTo(42));
        Envelope.assertError(asRunner(s.tenant(), token).post("/runner/jobs/" + job + "/heartbeat"), 404, "resource_not_found");
    }

    @Test
    void anExpiredLeaseIsOfferedAgainAndAFailureFailsTheRun() throws Exception {
        Setup s = mysqlConnector();
        String first = register(s.tenant(), "a");
        String second = register(s.tenant(), "b");
        String runId = sync(s);
        leaseWhenQueued(s.tenant(), first);
        asRunner(s.tenant(), second).post("/runner/jobs/lease").then().statusCode(204);
        Thread.sleep(2500); // the test lease lasts 2 s
        Response again = asRunner(s.tenant(), second).post("/runner/jobs/lease");
        again.then().statusCode(200).body("attempt", equalTo(2));
        asRunner(s.tenant(), second).contentType(ContentType.JSON).body(Map.of("error", "ERP refused the login"))
                .post("/runner/jobs/" + again.path("id") + "/fail").then().statusCode(204);
        run(s, runId).then().body("status", equalTo("failed")).body("error", equalTo("ERP refused the login"));
    }

    @Test
    void aJobNobodyTakesFailsAtItsDeadline() throws Throwable {
        Setup s = mysqlConnector();
        String runId = sync(s);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sweepInTheFuture() > 0
                || !"running".equals(run(s, runId).path("status")));
        run(s, runId).then().body("status", equalTo("failed")).body("error", containsString("No runner completed this job"));
    }

    /** Sweeps as if eleven minutes had passed: past the ten-minute job deadline. */
    private int sweepInTheFuture() {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> jobs.sweep(Instant.now().plus(Duration.ofMinutes(11))));
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void runnerTokensOnlyWorkOnRunnerRoutesOfTheirTenant() {
        Setup s = mysqlConnector();
        TestTenant other = Api.newTenant();
        String token = register(s.tenant(), "scoped");
        Envelope.assertError(asRunner(s.tenant(), token).get("/projects"), 403, "forbidden");
        Envelope.assertError(Api.as(s.tenant().admin()).post("/runner/jobs/lease"), 403, "forbidden");
        Envelope.assertError(asRunner(other, token).post("/runner/jobs/lease"), 401, "unauthorized");
        String id = Api.as(s.tenant().admin()).get("/runners").then().statusCode(200)
                .body("data[0].token", org.hamcrest.Matchers.nullValue()).extract().path("data[0].id");
        Api.as(s.tenant().admin()).delete("/runners/" + id).then().statusCode(204);
        Envelope.assertError(asRunner(s.tenant(), token).post("/runner/jobs/lease"), 401, "unauthorized");
    }

    @Test
    void aConnectionTestOfARunnerTypeIsAnsweredByARunner() throws Exception {
        Setup s = mysqlConnector();
        String token = register(s.tenant(), "tester");
        java.util.concurrent.CompletableFuture<Response> answer = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                Api.as(s.tenant().admin()).post("/projects/" + s.project() + "/connectors/" + s.connector() + "/test"));
        Response leased = leaseWhenQueued(s.tenant(), token);
        leased.then().body("kind", equalTo("connector_test")).body("payload.type", equalTo("mysql"))
                .body("payload.config.password", equalTo("mysql-pw"));
        asRunner(s.tenant(), token).contentType(ContentType.JSON).body(Map.of("result", Map.of("checks", List.of(
                Map.of("name", "reachability", "status", "passed", "message", "erp.internal:3306 answered"),
                Map.of("name", "authentication", "status", "failed", "message", "Access denied for user 'reader'"),
                Map.of("name", "read_permission", "status", "skipped", "message", "Not reached.")))))
                .post("/runner/jobs/" + leased.path("id") + "/complete").then().statusCode(204);
        answer.get(20, java.util.concurrent.TimeUnit.SECONDS).then().statusCode(200).body("success", equalTo(false))
                .body("checks.status", equalTo(List.of("passed", "failed", "skipped")))
                .body("checks[1].message", equalTo("Access denied for user 'reader'"));
    }

    @Test
    void aConnectionTestNoRunnerFinishesSaysItWasQueued() {
        Setup s = mysqlConnector();
        register(s.tenant(), "idle");
        Api.as(s.tenant().admin()).post("/projects/" + s.project() + "/connectors/" + s.connector() + "/test").then()
                .statusCode(200).body("checks.status", equalTo(List.of("skipped", "skipped", "skipped")))
                .body("checks[0].message", containsString("Queued as runner job"));
    }
}
