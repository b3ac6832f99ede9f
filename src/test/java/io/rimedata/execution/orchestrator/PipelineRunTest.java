package io.rimedata.execution.orchestrator;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.execution.step.WebhookExecutor;
import io.rimedata.support.Api;
import io.rimedata.support.CustomerDatabase;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pipeline runs end to end (§7.2): the example DAG, failure policies, retries, timeouts, cancel, retry runs, events. */
@QuarkusTest
class PipelineRunTest {

    private static final String SOURCE_DB = "rime_pipeline_test";
    /** Not a superuser: validate steps refuse those. */
    private static final String READER = "rime_pipeline_reader";
    private static final String SIGNING_SECRET = "whsec-pipeline-test-value";
    private static TestTenant tenant;
    private static String project;
    private static String connectorA;
    private static String connectorB;
    private static HttpServer stub;
    /** Received webhook requests: path → (signature header, body). */
    private static final List<String[]> received = new CopyOnWriteArrayList<>();
    /** Per path: how many of the next calls answer 500. */
    private static final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    @BeforeAll
    static void setUp() throws Exception {
        CustomerDatabase.recreate(SOURCE_DB);
        CustomerDatabase.role(READER);
        try (Connection db = CustomerDatabase.connect(SOURCE_DB);
                Statement s = db.createStatement()) {
            s.execute("create table orders (id integer primary key, amount numeric(10,2) not null)");
            s.execute("insert into orders select g, g from generate_series(1, 3000) g");
            s.execute("create table customers (id integer primary key, email text)");
            s.execute("insert into customers select g, 'c' || g || '@x.test' from generate_series(1, 40000) g");
            s.execute("grant select on all tables in schema public to " + READER);
        }
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new String[] { path, exchange.getRequestHeaders().getFirst("Rime-Signature"), body });
            AtomicInteger failing = failures.get(path);
            int status = failing != null && failing.getAndDecrement() > 0 ? 500 : 200;
            if (path.startsWith("/slow")) {
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        stub.start();
        tenant = Api.newTenant("business");
        project = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "runs")).post("/projects")
                .then().statusCode(201).extract().path("id");
        connectorA = connector("orders-db", "orders");
        connectorB = connector("customers-db", "customers");
    }

    @AfterAll
    static void tearDown() {
        stub.stop(0);
    }

    private static String connector(String name, String table) {
        return Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", name, "type", "postgresql",
                "config", CustomerDatabase.config(SOURCE_DB, READER), "tables", List.of(Map.of("name", table))))
                .post("/projects/" + project + "/connectors").then().statusCode(201).extract().path("id");
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + stub.getAddress().getPort() + path;
    }

    static Map<String, Object> step(String key, String type, Map<String, Object> config, String... dependsOn) {
        Map<String, Object> step = new HashMap<>(Map.of("key", key, "type", type, "config", config, "depends_on", List.of(dependsOn)));
        return step;
    }

    static Map<String, Object> with(Map<String, Object> step, String field, Object value) {
        step.put(field, value);
        return step;
    }

    private static String pipeline(String name, List<Map<String, Object>> steps) {
        return Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", name, "steps", steps))
                .post(pipelines()).then().statusCode(201).extract().path("id");
    }

    private static String pipelines() {
        return "/projects/" + project + "/pipelines";
    }

    private static String runNow(String pipeline) {
        return Api.as(tenant.admin()).post(pipelines() + "/" + pipeline + "/runs").then().statusCode(202)
                .header("Location", containsString("/runs/")).body("status", equalTo("running"))
                .body("trigger", equalTo("manual")).extract().path("id");
    }

    private static Response run(String pipeline, String run) {
        return Api.as(tenant.admin()).get(pipelines() + "/" + pipeline + "/runs/" + run);
    }

    private static Response awaitEnd(String pipeline, String run) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            String status = run(pipeline, run).path("status");
            return !"running".equals(status) && !"queued".equals(status);
        });
        return run(pipeline, run);
    }

    private static Response awaitStep(String pipeline, String run, String key, String status) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                status.equals(run(pipeline, run).path("steps.find { it.key == '" + key + "' }.status")));
        return run(pipeline, run);
    }

    @Test
    void theExampleDagRunsToSucceededWithTheExtractsInParallel() throws Exception {
        String runner = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "dbt")).post("/runners")
                .then().statusCode(201).extract().path("token");
        String id = pipeline("example", List.of(
                step("extract_orders", "extract", Map.of("connector_id", connectorA)),
                step("extract_customers", "extract", Map.of("connector_id", connectorB)),
                step("transform", "transform", Map.of("transformation_id", Api.randomId()), "extract_orders", "extract_customers"),
                step("validate", "validate", Map.of("checks", List.of(
                        Map.of("name", "orders present", "connector_id", connectorA, "sql", "select 1 from orders", "expect", "some_rows"),
                        Map.of("name", "no negative amounts", "connector_id", connectorA,
                                "sql", "select * from orders where amount < 0;", "expect", "no_rows"))), "transform"),
                step("notify", "webhook", Map.of("url", url("/done"), "signing_secret", SIGNING_SECRET,
                        "body", "{\"run\":\"{{run_id}}\"}"), "validate")));
        String runId = runNow(id);

        // the transform goes to an external runner: act as one
        Response[] leased = new Response[1];
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            leased[0] = Api.tenant(tenant.subdomain()).header("Authorization", "Bearer " + runner).post("/runner/jobs/lease");
            return leased[0].statusCode() == 200;
        });
        leased[0].then().body("kind", equalTo("pipeline_step")).body("payload.step_key", equalTo("transform"))
                .body("payload.run_id", equalTo(runId));
        Api.tenant(tenant.subdomain()).header("Authorization", "Bearer " + runner).contentType(ContentType.JSON)
                .body(Map.of("result", Map.of("models_built", 4))).post("/runner/jobs/" + leased[0].path("id") + "/complete")
                .then().statusCode(204);

        Response done = awaitEnd(id, runId);
        done.then().body("status", equalTo("succeeded"))
                .body("counts.succeeded", equalTo(5)).body("counts.failed", equalTo(0))
                .body("steps.find { it.key == 'transform' }.output.result.models_built", equalTo(4))
                .body("steps.find { it.key == 'validate' }.output.checks.passed", equalTo(List.of(true, true)))
                .body("steps.find { it.key == 'notify' }.output.status_code", equalTo(200))
                .body("steps.find { it.key == 'notify' }.output.latency_ms", notNullValue())
                .body("steps.find { it.key == 'extract_orders' }.output.total_rows", equalTo(3000))
                .body("steps.find { it.key == 'extract_customers' }.output.total_rows", equalTo(40000))
                .body("duration_ms", notNullValue());

        Instant ordersStart = Instant.parse(done.path("steps.find { it.key == 'extract_orders' }.started_at"));
        Instant ordersEnd = Instant.parse(done.path("steps.find { it.key == 'extract_orders' }.finished_at"));
        Instant customersStart = Instant.parse(done.path("steps.find { it.key == 'extract_customers' }.started_at"));
        Instant customersEnd = Instant.parse(done.path("steps.find { it.key == 'extract_customers' }.finished_at"));
        assertTrue(ordersStart.isBefore(customersEnd) && customersStart.isBefore(ordersEnd),
                "the two extracts overlapped: " + ordersStart + "–" + ordersEnd + " vs " + customersStart + "–" + customersEnd);
        Instant transformStart = Instant.parse(done.path("steps.find { it.key == 'transform' }.started_at"));
        assertTrue(!transformStart.isBefore(ordersEnd) && !transformStart.isBefore(customersEnd), "transform waited for both");

        String[] hook = received.stream().filter(r -> r[0].equals("/done")).findFirst().orElseThrow();
        assertEquals("{\"run\":\"" + runId + "\"}", hook[2]);
        long t = Long.parseLong(hook[1].substring(2, hook[1].indexOf(',')));
        assertEquals(WebhookExecutor.sign(SIGNING_SECRET, t, hook[2]), hook[1], "HMAC-SHA256 of t.body");

        // every change is in the event log, numbered 1, 2, 3, … without gaps
        List<Integer> seqs = Api.as(tenant.admin()).queryParam("since_seq", 0).queryParam("limit", 100)
                .get(pipelines() + "/" + id + "/runs/" + runId + "/events").then().statusCode(200).extract().path("data.seq");
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= seqs.size(); i++) {
            expected.add(i);
        }
        assertEquals(expected, seqs);
        Api.as(tenant.admin()).get(pipelines() + "/" + id + "/runs/" + runId + "/events?limit=1").then()
                .body("data[0].type", equalTo("run.finished")).body("data[0].seq", equalTo(seqs.size()))
                .body("has_more", equalTo(true));
        assertEquals(done.path("last_seq"), (Integer) seqs.size());
        Api.as(tenant.admin()).get(pipelines() + "/" + id + "/runs/" + runId + "/steps/validate/logs").then().statusCode(200)
                .body("data.message", hasItem(containsString("PASS orders present"))).body("complete", equalTo(true))
                .body("next_cursor", notNullValue());
    }

    @Test
    void onFailureStopSkipsEverythingPendingAndFailsTheRun() {
        failures.put("/stop-fail", new AtomicInteger(100));
        String id = pipeline("stop", List.of(
                step("bad", "webhook", Map.of("url", url("/stop-fail"))),
                step("slow", "wait", Map.of("seconds", 1)),
                step("after_bad", "wait", Map.of("seconds", 0), "bad"),
                step("after_slow", "wait", Map.of("seconds", 0), "slow")));
        awaitEnd(id, runNow(id)).then().body("status", equalTo("failed"))
                .body("steps.find { it.key == 'bad' }.status", equalTo("failed"))
                .body("steps.find { it.key == 'bad' }.error", containsString("500"))
                .body("steps.find { it.key == 'slow' }.status", equalTo("succeeded"))
                .body("steps.find { it.key == 'after_bad' }.status", equalTo("skipped"))
                .body("steps.find { it.key == 'after_slow' }.status", equalTo("skipped"));
    }

    @Test
    void onFailureContinueOnlySkipsTheFailedStepsDependents() {
        failures.put("/continue-fail", new AtomicInteger(100));
        String id = pipeline("continue", List.of(
                with(step("bad", "webhook", Map.of("url", url("/continue-fail"))), "on_failure", "continue"),
                step("slow", "wait", Map.of("seconds", 1)),
                step("after_bad", "wait", Map.of("seconds", 0), "bad"),
                step("after_slow", "wait", Map.of("seconds", 0), "slow")));
        awaitEnd(id, runNow(id)).then().body("status", equalTo("failed"))
                .body("steps.find { it.key == 'after_bad' }.status", equalTo("skipped"))
                .body("steps.find { it.key == 'after_slow' }.status", equalTo("succeeded"));
    }

    @Test
    void aFailedAttemptIsRetriedAfterItsBackoffThenSucceeds() {
        failures.put("/flaky", new AtomicInteger(2));
        String id = pipeline("flaky", List.of(with(step("call", "webhook", Map.of("url", url("/flaky"))), "retry",
                Map.of("max_attempts", 3, "backoff_seconds", 1, "backoff_multiplier", 2))));
        String runId = runNow(id);
        Response done = awaitEnd(id, runId);
        done.then().body("status", equalTo("succeeded")).body("steps[0].attempt", equalTo(3));
        List<Map<String, Object>> statuses = Api.as(tenant.admin()).queryParam("since_seq", 0)
                .get(pipelines() + "/" + id + "/runs/" + runId + "/events").then().extract().path("data.findAll { it.type == 'step.status' }");
        List<String> sequence = statuses.stream().map(e -> e.get("status") + "#" + e.get("attempt")).toList();
        assertEquals(List.of("running#1", "retrying#1", "running#2", "retrying#2", "running#3", "succeeded#3"), sequence);
        // backoff 1 s then 2 s: the third attempt starts at least 3 s after the first
        Instant first = Instant.parse((String) statuses.get(0).get("started_at"));
        Instant retried = Instant.parse((String) statuses.get(3).get("next_attempt_at"));
        assertTrue(Duration.between(first, retried).toMillis() >= 2900, "second backoff doubled: " + first + " → " + retried);
    }

    @Test
    void aStepOverItsTimeoutFails() {
        String id = pipeline("timeout", List.of(with(step("long", "wait", Map.of("seconds", 60)), "timeout_seconds", 1)));
        awaitEnd(id, runNow(id)).then().body("status", equalTo("failed"))
                .body("steps[0].status", equalTo("failed")).body("steps[0].error", containsString("Timed out after 1 s"));
    }

    @Test
    void cancelStopsRunningStepsAndSkipsPendingOnes() {
        String id = pipeline("cancel", List.of(step("long", "wait", Map.of("seconds", 60)),
                step("next", "wait", Map.of("seconds", 0), "long")));
        String runId = runNow(id);
        awaitStep(id, runId, "long", "running");
        Api.as(tenant.admin()).post(pipelines() + "/" + id + "/runs/" + runId + "/cancel").then().statusCode(200)
                .body("status", equalTo("cancelled"))
                .body("steps[0].status", equalTo("cancelled")).body("steps[1].status", equalTo("skipped"))
                .body("finished_at", notNullValue());
        Envelope.assertError(Api.as(tenant.admin()).post(pipelines() + "/" + id + "/runs/" + runId + "/cancel"), 409, "conflict");
        Envelope.assertError(Api.as(tenant.admin()).post(pipelines() + "/" + id + "/runs/" + Api.randomId() + "/cancel"), 404,
                "resource_not_found");
    }

    @Test
    void aRetryRunReusesTheSucceededStepsAndRunsTheRest() {
        failures.put("/once", new AtomicInteger(1));
        String id = pipeline("retry-run", List.of(step("first", "wait", Map.of("seconds", 0)),
                step("call", "webhook", Map.of("url", url("/once")), "first"),
                step("last", "wait", Map.of("seconds", 0), "call")));
        String failed = runNow(id);
        awaitEnd(id, failed).then().body("status", equalTo("failed"));
        String firstFinished = run(id, failed).path("steps[0].finished_at");

        String retry = Api.as(tenant.admin()).post(pipelines() + "/" + id + "/runs/" + failed + "/retry").then().statusCode(202)
                .body("trigger", equalTo("retry")).body("retry_of", equalTo(failed)).extract().path("id");
        awaitEnd(id, retry).then().body("status", equalTo("succeeded"))
                .body("steps[0].reused_from", equalTo(failed)).body("steps[0].finished_at", equalTo(firstFinished))
                .body("steps[1].reused_from", equalTo(null)).body("steps[1].status", equalTo("succeeded"))
                .body("steps[2].status", equalTo("succeeded"));
        Envelope.assertError(Api.as(tenant.admin()).post(pipelines() + "/" + id + "/runs/" + retry + "/retry"), 422,
                "unprocessable_entity");
        Api.as(tenant.admin()).get(pipelines() + "/" + id + "/runs?trigger=retry").then().statusCode(200)
                .body("data.id", equalTo(List.of(retry)));
        Envelope.assertError(Api.as(tenant.admin()).get(pipelines() + "/" + id + "/runs?status=bogus"), 400, "validation_error");
    }

    @Test
    void retryingAnActiveRunIsAConflict() {
        String id = pipeline("busy", List.of(step("long", "wait", Map.of("seconds", 30))));
        String runId = runNow(id);
        Envelope.assertError(Api.as(tenant.admin()).post(pipelines() + "/" + id + "/runs/" + runId + "/retry"), 409, "conflict");
        Envelope.assertError(Api.as(tenant.admin()).delete(pipelines() + "/" + id), 409, "conflict");
        Api.as(tenant.admin()).delete(pipelines() + "/" + id + "?force=true").then().statusCode(204);
    }

    @Test
    void anotherTenantCannotSeeOrControlRuns() {
        String id = pipeline("mine", List.of(step("a", "wait", Map.of("seconds", 0))));
        String runId = runNow(id);
        TestTenant other = Api.newTenant();
        Envelope.assertError(Api.as(other.admin()).get(pipelines() + "/" + id + "/runs/" + runId), 404, "resource_not_found");
        Envelope.assertError(Api.as(other.admin()).post(pipelines() + "/" + id + "/runs/" + runId + "/cancel"), 404,
                "resource_not_found");
        Envelope.assertError(Api.as(other.admin()).get(pipelines() + "/" + id + "/runs/" + runId + "/events"), 404,
                "resource_not_found");
        TestTenant.Session viewer = Api.minted(tenant.subdomain(), "viewer", Api.randomId());
        Api.as(viewer).get(pipelines() + "/" + id + "/runs/" + runId + "/events").then().statusCode(200);
        Envelope.assertError(Api.as(viewer).post(pipelines() + "/" + id + "/runs/" + runId + "/cancel"), 403, "forbidden");
        Envelope.assertError(Api.as(tenant.admin()).get(pipelines() + "/" + id + "/runs/" + runId + "/steps/nope/logs"), 404,
                "resource_not_found");
        Envelope.assertError(Api.as(tenant.admin()).get(pipelines() + "/" + id + "/runs/" + runId + "/events?cursor=bogus"), 400,
                "validation_error");
    }
}
