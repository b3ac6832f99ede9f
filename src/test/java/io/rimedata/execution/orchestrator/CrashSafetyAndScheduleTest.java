package io.rimedata.execution.orchestrator;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.pipeline.schedule.PipelineScheduler;
import io.rimedata.support.Api;
import io.rimedata.support.TestTenant;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A step whose replica vanished is taken over (the dead replica is simulated by handing the step's lease to a name
 * no process has and letting it expire); schedule fires start exactly one run under their concurrency policy. The
 * two-process version, with a real SIGKILL, is {@code bench/pipeline-crash.sh}.
 */
@QuarkusTest
class CrashSafetyAndScheduleTest {

    private static TestTenant tenant;
    private static String project;

    @Inject
    PipelineScheduler scheduler;

    @BeforeAll
    static void setUp() {
        tenant = Api.newTenant("business");
        project = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "crash")).post("/projects")
                .then().statusCode(201).extract().path("id");
    }

    private static String pipelines() {
        return "/projects/" + project + "/pipelines";
    }

    private static String pipeline(String name, List<Map<String, Object>> steps, Map<String, Object> schedule) {
        Map<String, Object> body = schedule == null ? Map.of("name", name, "steps", steps)
                : Map.of("name", name, "steps", steps, "schedule", schedule);
        return Api.as(tenant.admin()).contentType(ContentType.JSON).body(body).post(pipelines())
                .then().statusCode(201).extract().path("id");
    }

    private static Response run(String pipeline, String run) {
        return Api.as(tenant.admin()).get(pipelines() + "/" + pipeline + "/runs/" + run);
    }

    private static Connection db() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + System.getProperty("rime.test.database", "rime_test"),
                "postgres", "");
    }

    @Test
    void aStepWhoseReplicaVanishedIsTakenOverAndTheRunFinishes() throws Exception {
        String id = pipeline("takeover", List.of(PipelineRunTest.step("long", "wait", Map.of("seconds", 3)),
                PipelineRunTest.step("after", "wait", Map.of("seconds", 0), "long")), null);
        String runId = Api.as(tenant.admin()).post(pipelines() + "/" + id + "/runs").then().statusCode(202).extract().path("id");
        try (Connection c = db(); PreparedStatement s = c.prepareStatement("""
                update pipeline_run_steps set lease_owner = 'replica-that-died', lease_expires_at = now() - interval '1 second'
                where run_id = ?::uuid and key = 'long' and status = 'running'""")) {
            s.setString(1, runId);
            assertEquals(1, s.executeUpdate());
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "succeeded".equals(run(id, runId).path("status")));
        run(id, runId).then().body("steps[0].attempt", equalTo(1)).body("steps[1].status", equalTo("succeeded"));
        try (Connection c = db(); Statement s = c.createStatement();
                var rows = s.executeQuery("select takeovers from pipeline_run_steps where run_id = '" + runId + "' and key = 'long'")) {
            rows.next();
            assertEquals(1, rows.getInt(1), "taken over once");
        }
        List<String> statuses = Api.as(tenant.admin()).queryParam("since_seq", 0)
                .get(pipelines() + "/" + id + "/runs/" + runId + "/events").path("data.findAll { it.type == 'step.status' && it.step_key == 'long' }.status");
        assertEquals(List.of("running", "running", "succeeded"), statuses, "started, taken over, finished");
    }

    @Test
    void eachFireStartsExactlyOneRunEvenWhenReplicasTickTogether() throws Exception {
        String id = pipeline("every-minute", List.of(PipelineRunTest.step("a", "wait", Map.of("seconds", 0))),
                Map.of("cron", "* * * * *", "timezone", "UTC", "concurrency_policy", "allow"));
        Instant now = Instant.now().plus(3, ChronoUnit.MINUTES);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> replicas = List.of(() -> tick(now), () -> tick(now), () -> tick(now), () -> tick(now));
            int fired = 0;
            for (Future<Integer> f : pool.invokeAll(replicas)) {
                fired += f.get();
            }
            assertEquals(1, fired, "one replica claims the fire");
        } finally {
            pool.shutdown();
        }
        assertEquals(0, tick(now), "the same fire is not started twice");
        Api.as(tenant.admin()).get(pipelines() + "/" + id + "/runs").then()
                .body("data.size()", equalTo(1)).body("data[0].trigger", equalTo("scheduled"))
                .body("data[0].fire_time", equalTo(now.truncatedTo(ChronoUnit.MINUTES).toString().replace("Z", ".000Z")));
        // fires missed while nothing ran are caught up once, not one by one
        assertEquals(1, tick(now.plus(30, ChronoUnit.MINUTES)));
        Api.as(tenant.admin()).get(pipelines() + "/" + id + "/runs").then().body("data.size()", equalTo(2));
    }

    @Test
    void skipRecordsASkippedRunAndQueueStartsItWhenTheActiveOneEnds() throws Throwable {
        String skip = pipeline("skipper", List.of(PipelineRunTest.step("a", "wait", Map.of("seconds", 2))),
                Map.of("cron", "* * * * *", "timezone", "UTC", "concurrency_policy", "skip"));
        Api.as(tenant.admin()).post(pipelines() + "/" + skip + "/runs").then().statusCode(202);
        String queue = pipeline("queuer", List.of(PipelineRunTest.step("a", "wait", Map.of("seconds", 2))),
                Map.of("cron", "* * * * *", "timezone", "UTC", "concurrency_policy", "queue"));
        String active = Api.as(tenant.admin()).post(pipelines() + "/" + queue + "/runs").then().statusCode(202).extract().path("id");

        tick(Instant.now().plus(2, ChronoUnit.MINUTES));
        Api.as(tenant.admin()).get(pipelines() + "/" + skip + "/runs?trigger=scheduled").then()
                .body("data[0].status", equalTo("skipped")).body("data[0].steps[0].status", equalTo("skipped"));
        String queued = Api.as(tenant.admin()).get(pipelines() + "/" + queue + "/runs?trigger=scheduled").then()
                .body("data[0].status", equalTo("queued")).extract().path("data[0].id");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(run(queue, active).path("status")));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(run(queue, queued).path("status")));
        Instant firstEnded = Instant.parse(run(queue, active).path("finished_at"));
        Instant queuedStarted = Instant.parse(run(queue, queued).path("started_at"));
        org.junit.jupiter.api.Assertions.assertFalse(queuedStarted.isBefore(firstEnded), "the queued run waited");
    }

    private int tick(Instant now) throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> scheduler.tick(now));
        } catch (Throwable t) {
            throw new Exception(t);
        }
    }
}
