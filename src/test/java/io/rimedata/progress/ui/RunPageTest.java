package io.rimedata.progress.ui;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.rimedata.support.Api;
import io.rimedata.support.TestTenant;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The run page in headless Chromium: it is opened while the run is going, follows it over the WebSocket, and ends
 * showing every step's final state. Chromium is driven through its DevTools protocol.
 */
@QuarkusTest
class RunPageTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void thePageFollowsARunLiveUntilItSucceeds() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is needed for this test (apt-get install chromium)");
        TestTenant tenant = Api.newTenant();
        String project = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "ui")).post("/projects")
                .then().statusCode(201).extract().path("id");
        String pipeline = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "shown", "steps", List.of(
                Map.of("key", "load", "type", "wait", "config", Map.of("seconds", 3)),
                Map.of("key", "model", "type", "wait", "config", Map.of("seconds", 1), "depends_on", List.of("load")),
                Map.of("key", "notify", "type", "wait", "config", Map.of("seconds", 0), "depends_on", List.of("model")))))
                .post("/projects/" + project + "/pipelines").then().statusCode(201).extract().path("id");
        Api.tenant(tenant.subdomain()).basePath("").get("/ui/run.html").then().statusCode(200)
                .contentType(containsString("text/html"));

        // a token offered in the address, query or fragment, is ignored: the page asks the user to sign in
        String offered = tenant.admin().accessToken();
        String page = "https://" + tenant.subdomain() + ".localhost:" + Api.HTTPS_PORT + "/ui/run.html?project=" + project
                + "&pipeline=" + pipeline + "&run=";
        String url = page + Api.randomId() + "&token=" + offered + "#token=" + offered;
        Path profile = Files.createTempDirectory("rime-chromium");
        Process chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--ignore-certificate-errors", "--host-resolver-rules=MAP *.localhost 127.0.0.1",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, url)
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Vertx vertx = Vertx.vertx();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(portFile) && Files.size(portFile) > 0);
            int port = Integer.parseInt(Files.readAllLines(portFile).getFirst().trim());
            DevTools browser = DevTools.attach(vertx, port);

            JsonObject[] before = new JsonObject[1];
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
                before[0] = browser.evaluate("JSON.stringify({ready: document.readyState, "
                        + "login: getComputedStyle(document.getElementById('login')).display, "
                        + "stored: sessionStorage.getItem('rime.token'), events: window.rime ? window.rime.events : -1})");
                return before[0] != null && "complete".equals(before[0].getString("ready"));
            });
            assertEquals("flex", before[0].getString("login"), "the page asks for a sign-in: " + before[0]);
            assertEquals(null, before[0].getString("stored"), "the page took the token from its address");
            assertEquals(0, before[0].getInteger("events"), "the page connected without signing in: " + before[0]);
            browser.evaluate("(() => { const form = document.getElementById('login');"
                    + " form.email.value = 'admin@" + tenant.subdomain() + ".test';"
                    + " form.password.value = '" + Api.PASSWORD + "';"
                    + " form.requestSubmit(); return JSON.stringify({submitted: true}); })()");
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
                JsonObject signedIn = browser.evaluate("JSON.stringify({token: sessionStorage.getItem('rime.token')})");
                return signedIn != null && signedIn.getString("token") != null;
            });

            // signed in (the token is in sessionStorage for this tab): open a run that is going now
            String run = Api.as(tenant.admin()).post("/projects/" + project + "/pipelines/" + pipeline + "/runs").then()
                    .statusCode(202).extract().path("id");
            try {
                browser.evaluate("(() => { location.replace('" + page + run + "'); return JSON.stringify({}); })()");
            } catch (java.util.concurrent.TimeoutException navigating) {
                // the page may unload before it answers; the polling below waits for the new one
            }

            JsonObject[] seen = new JsonObject[1];
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                seen[0] = browser.evaluate("JSON.stringify({status: document.body.dataset.runStatus, "
                        + "events: window.rime ? window.rime.events : 0, "
                        + "steps: [...document.querySelectorAll('.step')].map(n => n.id + '=' + n.dataset.status), "
                        + "run: new URLSearchParams(location.search).get('run'), "
                        + "own: !!sessionStorage.getItem('rime.token') && sessionStorage.getItem('rime.token') !== '"
                        + offered + "'})");
                return seen[0] != null && run.equals(seen[0].getString("run"))
                        && "succeeded".equals(seen[0].getString("status"));
            });
            JsonObject view = seen[0];
            assertEquals(new JsonArray(List.of("step-load=succeeded", "step-model=succeeded", "step-notify=succeeded")),
                    view.getJsonArray("steps"));
            assertTrue(view.getInteger("events") > 3, "live events arrived after the snapshot: " + view);
            assertTrue(view.getBoolean("own"), "the page uses the token of its own sign-in: " + view);
        } finally {
            chromium.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            vertx.close();
        }
    }

    /** Just enough of the DevTools protocol: evaluate an expression in the page. */
    private static final class DevTools {
        private final WebSocket socket;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonObject>> calls = new ConcurrentHashMap<>();

        private DevTools(WebSocket socket) {
            this.socket = socket;
            socket.textMessageHandler(text -> {
                JsonObject message = new JsonObject(text);
                CompletableFuture<JsonObject> call = calls.remove(message.getInteger("id", -1));
                if (call != null) {
                    call.complete(message);
                }
            });
        }

        static DevTools attach(Vertx vertx, int port) throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            String[] target = new String[1];
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                for (Object t : new JsonArray(list)) {
                    JsonObject page = (JsonObject) t;
                    if ("page".equals(page.getString("type"))) {
                        target[0] = page.getString("webSocketDebuggerUrl");
                    }
                }
                return target[0] != null;
            });
            return new DevTools(vertx.createWebSocketClient().connect(port, "127.0.0.1",
                    URI.create(target[0]).getPath()).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS));
        }

        /** The expression's string value parsed as JSON, or null while the page cannot answer yet. */
        JsonObject evaluate(String expression) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonObject> call = new CompletableFuture<>();
            calls.put(id, call);
            socket.writeTextMessage(new JsonObject().put("id", id).put("method", "Runtime.evaluate")
                    .put("params", new JsonObject().put("expression", expression).put("returnByValue", true)).encode());
            JsonObject answer = call.get(10, TimeUnit.SECONDS);
            String value = answer.getJsonObject("result", new JsonObject()).getJsonObject("result", new JsonObject()).getString("value");
            return value == null ? null : new JsonObject(value);
        }
    }
}
