package io.rimedata.connector.schedule;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.rimedata.support.Api;
import io.rimedata.support.TestTenant;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Schedule fires, driven with chosen clocks: a fire starts exactly one run even when two replicas tick at once,
 * missed fires are caught up once, and a fire that overlaps a running sync is recorded as skipped.
 */
@QuarkusTest
class ConnectorSchedulerTest {

    @Inject
    ConnectorScheduler scheduler;

    private int tick(Instant now) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> scheduler.tick(now));
    }

    private static String hourlyCsvConnector(TestTenant t, String project) {
        String id = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "hourly-" + Api.randomId(),
                "type", "csv", "schedule", Map.of("cron", "0 * * * *", "timezone", "UTC")))
                .post("/projects/" + project + "/connectors").then().statusCode(201).extract().path("id");
        Api.as(t.admin()).multiPart("file", "rows.csv", "a\n1\n2\n".getBytes(StandardCharsets.UTF_8))
                .post("/projects/" + project + "/connectors/" + id + "/upload").then().statusCode(200);
        return id;
    }

    private static String project(TestTenant t) {
        return Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "scheduled")).post("/projects")
                .then().statusCode(201).extract().path("id");
    }

    private static List<String> triggers(TestTenant t, String project, String connector) {
        return Api.as(t.admin()).get("/projects/" + project + "/connectors/" + connector + "/runs").path("data.trigger");
    }

    @Test
    void missedFiresAreCaughtUpOnceAndTwoReplicasFireOnce() throws Throwable {
        TestTenant t = Api.newTenant();
        String project = project(t);
        String connector = hourlyCsvConnector(t, project);
        Instant later = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(5, ChronoUnit.HOURS).plusSeconds(60);
        CompletableFuture<Integer> replicaA = CompletableFuture.supplyAsync(() -> quietly(later));
        CompletableFuture<Integer> replicaB = CompletableFuture.supplyAsync(() -> quietly(later));
        replicaA.join();
        replicaB.join();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> triggers(t, project, connector).size() == 1);
        assertEquals(List.of("scheduled"), triggers(t, project, connector), "five missed hours, one run");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "completed".equals(Api.as(t.admin())
                .get("/projects/" + project + "/connectors/" + connector + "/runs").path("data[0].status")));
        tick(later.plus(10, ChronoUnit.MINUTES));
        assertEquals(1, triggers(t, project, connector).size(), "nothing new is due within the same hour");
        tick(later.plus(70, ChronoUnit.MINUTES));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> triggers(t, project, connector).size() == 2);
    }

    @Test
    void aFireThatOverlapsARunningSyncIsRecordedAsSkipped() throws Throwable {
        TestTenant t = Api.newTenant();
        String project = project(t);
        String connector = hourlyCsvConnector(t, project);
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/"
                + System.getProperty("rime.test.database", "rime_test"), "postgres", ""); Statement s = db.createStatement()) {
            s.execute("insert into connector_runs (id, tenant_id, project_id, connector_id, trigger, status, started_at, "
                    + "tables, created_at, updated_at) select gen_random_uuid(), tenant_id, project_id, id, 'manual', "
                    + "'running', now(), '[]', now(), now() from connectors where id = '" + connector + "'");
        }
        tick(Instant.now().plus(2, ChronoUnit.HOURS));
        Api.as(t.admin()).queryParam("trigger", "scheduled").get("/projects/" + project + "/connectors/" + connector + "/runs")
                .then().statusCode(200).body("data.status", equalTo(List.of("skipped")));
    }

    private int quietly(Instant now) {
        try {
            return tick(now);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
