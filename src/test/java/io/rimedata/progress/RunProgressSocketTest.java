package io.rimedata.progress;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.rimedata.support.Api;
import io.rimedata.support.TestTenant;
import io.rimedata.support.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Live progress over WebSocket (§9): handshake rules, snapshot then gap-free events, resume with since_seq. */
@QuarkusTest
class RunProgressSocketTest {

    private static TestTenant tenant;
    private static String project;

    @BeforeAll
    static void setUp() {
        tenant = Api.newTenant("business");
        project = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "live")).post("/projects")
                .then().statusCode(201).extract().path("id");
    }

    static Map<String, Object> step(String key, int seconds, String... dependsOn) {
        return new HashMap<>(Map.of("key", key, "type", "wait", "config", Map.of("seconds", seconds), "depends_on", List.of(dependsOn)));
    }

    private static String pipeline(List<Map<String, Object>> steps) {
        return Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "p-" + Api.randomId(), "steps", steps))
                .post("/projects/" + project + "/pipelines").then().statusCode(201).extract().path("id");
    }

    private static String run(String pipeline) {
        return Api.as(tenant.admin()).post("/projects/" + project + "/pipelines/" + pipeline + "/runs").then().statusCode(202)
                .extract().path("id");
    }

    private static String progress(String pipeline, String run) {
        return "/projects/" + project + "/pipelines/" + pipeline + "/runs/" + run + "/progress";
    }

    /** Reads until the server closes; answers every message. */
    private static List<JsonObject> drain(WsClient.Session session) throws Exception {
        List<JsonObject> all = new ArrayList<>();
        while (true) {
            JsonObject m = session.next();
            all.add(m);
            if ("run.finished".equals(m.getString("type")) || "snapshot".equals(m.getString("type")) && m.getBoolean("finished")) {
                return all;
            }
        }
    }

    @Test
    void aWatcherGetsASnapshotThenEveryEventInOrderThenANormalClose() throws Exception {
        String p = pipeline(List.of(step("a", 1), step("b", 0), step("c", 1, "a", "b")));
        String r = run(p);
        WsClient.Session session = WsClient.connect(tenant.subdomain(), progress(p, r), tenant.admin().accessToken(), null);
        List<JsonObject> messages = drain(session);
        JsonObject snapshot = messages.getFirst();
        assertEquals("snapshot", snapshot.getString("type"));
        assertEquals(r, snapshot.getJsonObject("run").getString("id"));
        long seq = snapshot.getLong("seq");
        for (JsonObject event : messages.subList(1, messages.size())) {
            assertEquals(++seq, event.getLong("seq"), "gap-free: " + event);
        }
        assertEquals("run.finished", messages.getLast().getString("type"));
        assertEquals("succeeded", messages.getLast().getString("status"));
        assertEquals(1000, session.awaitClose(Duration.ofSeconds(10)));
        long last = Api.as(tenant.admin()).get("/projects/" + project + "/pipelines/" + p + "/runs/" + r).then()
                .extract().<Integer>path("last_seq");
        assertEquals(last, seq, "every event up to the run's last was delivered");
    }

    @Test
    void reconnectingWithSinceSeqReplaysExactlyTheMissedEvents() throws Exception {
        String p = pipeline(List.of(step("a", 0), step("b", 0, "a")));
        String r = run(p);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "succeeded".equals(Api.as(tenant.admin())
                .get("/projects/" + project + "/pipelines/" + p + "/runs/" + r).path("status")));
        int last = Api.as(tenant.admin()).get("/projects/" + project + "/pipelines/" + p + "/runs/" + r).path("last_seq");
        WsClient.Session session = WsClient.connect(tenant.subdomain(), progress(p, r) + "?since_seq=3",
                tenant.admin().accessToken(), null);
        List<JsonObject> replayed = drain(session);
        List<Long> seqs = replayed.stream().map(m -> m.getLong("seq")).toList();
        List<Long> expected = new ArrayList<>();
        for (long s = 4; s <= last; s++) {
            expected.add(s);
        }
        assertEquals(expected, seqs, "exactly the events after 3, no snapshot");
        assertEquals(1000, session.awaitClose(Duration.ofSeconds(10)));

        // a finished run watched from the start: its snapshot says so, and the socket closes
        WsClient.Session fresh = WsClient.connect(tenant.subdomain(), progress(p, r), tenant.admin().accessToken(), null);
        JsonObject snapshot = fresh.next();
        assertEquals("snapshot", snapshot.getString("type"));
        assertTrue(snapshot.getBoolean("finished"));
        assertEquals(last, snapshot.getLong("seq").intValue());
        assertEquals(1000, fresh.awaitClose(Duration.ofSeconds(10)));
    }

    @Test
    void browsersCarryTheTokenInTheSubprotocol() throws Exception {
        String p = pipeline(List.of(step("a", 0)));
        String r = run(p);
        String carried = "quarkus-http-upgrade#Authorization#" + URLEncoder.encode("Bearer " + tenant.admin().accessToken(),
                StandardCharsets.UTF_8);
        WsClient.Session session = WsClient.connect(tenant.subdomain(), progress(p, r), null, List.of("bearer-token-carrier", carried));
        assertEquals("bearer-token-carrier", session.socket.subProtocol());
        assertEquals("snapshot", session.next().getString("type"));
        session.close();
    }

    @Test
    void refusedHandshakesAnswerWithTheEnvelope() throws Exception {
        String p = pipeline(List.of(step("a", 0)));
        String r = run(p);
        WsClient.Refusal anonymous = WsClient.refused(tenant.subdomain(), progress(p, r), null, null);
        assertEquals(401, anonymous.status());
        assertEquals("unauthorized", anonymous.body().getJsonObject("error").getString("code"));
        assertNotNull(anonymous.requestId());
        assertTrue(anonymous.requestId().startsWith("req_"));

        TestTenant other = Api.newTenant();
        WsClient.Refusal foreignToken = WsClient.refused(tenant.subdomain(), progress(p, r), other.admin().accessToken(), null);
        assertEquals(401, foreignToken.status());
        WsClient.Refusal foreignRun = WsClient.refused(other.subdomain(), progress(p, r), other.admin().accessToken(), null);
        assertEquals(404, foreignRun.status());
        assertEquals("resource_not_found", foreignRun.body().getJsonObject("error").getString("code"));
        WsClient.Refusal missing = WsClient.refused(tenant.subdomain(), progress(p, Api.randomId()), tenant.admin().accessToken(), null);
        assertEquals(404, missing.status());

        String runner = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "r")).post("/runners")
                .then().statusCode(201).extract().path("token");
        WsClient.Refusal runnerToken = WsClient.refused(tenant.subdomain(), progress(p, r), runner, null);
        assertEquals(403, runnerToken.status());
        assertEquals("forbidden", runnerToken.body().getJsonObject("error").getString("code"));

        TestTenant.Session viewer = Api.minted(tenant.subdomain(), "viewer", Api.randomId());
        WsClient.Session watching = WsClient.connect(tenant.subdomain(), progress(p, r), viewer.accessToken(), null);
        assertEquals("snapshot", watching.next().getString("type"));
        watching.close();

        WsClient.Refusal badSince = WsClient.refused(tenant.subdomain(), progress(p, r) + "?since_seq=-4", tenant.admin().accessToken(), null);
        assertEquals(400, badSince.status());
    }

    @Test
    void theProjectFeedCarriesLifecycleEventsOfItsRuns() throws Exception {
        WsClient.Session feed = WsClient.connect(tenant.subdomain(), "/projects/" + project + "/events",
                tenant.admin().accessToken(), null);
        assertEquals("subscribed", feed.next().getString("type"));
        String p = pipeline(List.of(step("a", 0)));
        String r = run(p);
        List<String> seen = new ArrayList<>();
        while (!seen.contains("run.finished")) {
            JsonObject m = feed.next();
            if (r.equals(m.getString("run_id"))) {
                assertEquals("pipeline_run", m.getString("run_kind"));
                seen.add(m.getString("type"));
            }
        }
        assertTrue(seen.contains("step.status"), "step changes are part of the feed: " + seen);
        feed.close();
        Api.as(tenant.admin()).get("/projects/" + project + "/pipelines/" + p + "/runs/" + r).then().body("status", equalTo("succeeded"));
    }
}
