package io.rimedata.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.rimedata.support.Api;
import io.rimedata.support.LocalRedis;
import io.rimedata.support.TestTenant;
import io.rimedata.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Events written by another replica reach a watcher on this one: through Redis while it works, from the event log
 * while it does not, and through Redis again once it is back. The other replica is played by this test, which
 * appends events the way a replica does (numbered under the run's row lock) and publishes them with another origin.
 */
@QuarkusTest
class CrossReplicaDeliveryTest {

    private static final String OTHER_REPLICA = "replica-b";

    @Inject
    RedisDataSource redis;

    @Test
    void aWatcherReceivesAnotherReplicasEventsThroughRedisAndThroughTheLogWhileRedisIsDown() throws Exception {
        TestTenant tenant = Api.newTenant();
        String project = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "x")).post("/projects")
                .then().statusCode(201).extract().path("id");
        // a step handed to an external runner: the run stays running and this replica writes nothing more for it
        String pipeline = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "remote", "steps", List.of(
                Map.of("key", "model", "type", "transform", "config", Map.of("transformation_id", Api.randomId())))))
                .post("/projects/" + project + "/pipelines").then().statusCode(201).extract().path("id");
        String run = Api.as(tenant.admin()).post("/projects/" + project + "/pipelines/" + pipeline + "/runs")
                .then().statusCode(202).extract().path("id");
        Thread.sleep(500); // the step is handed over; its log line is written

        WsClient.Session watcher = WsClient.connect(tenant.subdomain(),
                "/projects/" + project + "/pipelines/" + pipeline + "/runs/" + run + "/progress", tenant.admin().accessToken(), null);
        JsonObject snapshot = watcher.next();
        assertEquals("snapshot", snapshot.getString("type"));
        long seq = snapshot.getLong("seq");

        // through Redis: well within the safety poll of the test profile (30 s)
        for (int i = 0; i < 3; i++) {
            JsonObject event = appendAsOtherReplica(run, "through redis " + i);
            publish(project, run, event);
        }
        for (int i = 0; i < 3; i++) {
            JsonObject m = nextWithin(watcher, 3);
            assertEquals(++seq, m.getLong("seq"));
            assertEquals("through redis " + i, m.getString("message"));
        }

        LocalRedis.stop();
        try {
            for (int i = 0; i < 3; i++) {
                appendAsOtherReplica(run, "from the log " + i); // nothing can be published
            }
            for (int i = 0; i < 3; i++) {
                JsonObject m = nextWithin(watcher, 20);
                assertEquals(++seq, m.getLong("seq"));
                assertEquals("from the log " + i, m.getString("message"));
            }
        } finally {
            LocalRedis.start();
        }

        Thread.sleep(7000); // the subscription is back within a few resubscribe intervals
        JsonObject event = appendAsOtherReplica(run, "redis again");
        publish(project, run, event);
        JsonObject m = nextWithin(watcher, 3);
        assertEquals(++seq, m.getLong("seq"));
        assertEquals("redis again", m.getString("message"));
        watcher.close();
        Api.as(tenant.admin()).post("/projects/" + project + "/pipelines/" + pipeline + "/runs/" + run + "/cancel")
                .then().statusCode(200);
    }

    private static JsonObject nextWithin(WsClient.Session session, int seconds) throws InterruptedException {
        JsonObject m = session.messages.poll(seconds, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within " + seconds + " s");
        }
        return m;
    }

    /** Appends a step.log event the way a replica does: the run's row is locked and numbers the event. */
    private static JsonObject appendAsOtherReplica(String run, String message) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/"
                + System.getProperty("rime.test.database", "rime_test"), "postgres", "")) {
            db.setAutoCommit(false);
            long seq;
            String tenant;
            try (PreparedStatement s = db.prepareStatement(
                    "update pipeline_runs set last_seq = last_seq + 1 where id = ?::uuid returning last_seq, tenant_id")) {
                s.setString(1, run);
                try (ResultSet rows = s.executeQuery()) {
                    rows.next();
                    seq = rows.getLong(1);
                    tenant = rows.getString(2);
                }
            }
            JsonObject payload = new JsonObject().put("step_key", "model").put("line", seq).put("message", message);
            Instant now = Instant.now();
            try (PreparedStatement s = db.prepareStatement("""
                    insert into run_events (id, run_id, seq, tenant_id, type, payload, created_at, updated_at, version)
                    values (?::uuid, ?::uuid, ?, ?::uuid, 'step.log', ?, ?, ?, 0)""")) {
                s.setString(1, UUID.randomUUID().toString());
                s.setString(2, run);
                s.setLong(3, seq);
                s.setString(4, tenant);
                s.setString(5, payload.encode());
                s.setObject(6, java.sql.Timestamp.from(now));
                s.setObject(7, java.sql.Timestamp.from(now));
                s.executeUpdate();
            }
            db.commit();
            return payload.copy().put("seq", seq).put("type", "step.log").put("occurred_at", now.toString());
        }
    }

    private void publish(String project, String run, JsonObject event) {
        JsonObject message = new JsonObject().put("origin", OTHER_REPLICA).put("project_id", project).put("run_id", run)
                .put("run_kind", "pipeline_run").put("events", new JsonArray().add(event));
        redis.pubsub(String.class).publish("rime:run-events", message.encode());
    }
}
