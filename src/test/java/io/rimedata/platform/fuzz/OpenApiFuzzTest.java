package io.rimedata.platform.fuzz;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.platform.fuzz.OpenApiFuzzer.Credential;
import io.rimedata.platform.fuzz.OpenApiFuzzer.Operation;
import io.rimedata.platform.fuzz.OpenApiFuzzer.Resource;
import io.rimedata.support.Api;
import io.rimedata.support.CustomerDatabase;
import io.rimedata.support.Routes;
import io.rimedata.support.SecretLeaks;
import io.rimedata.support.TestTenant;
import io.rimedata.support.TestTokens;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes every operation of the OpenAPI document with {@code rime.fuzz.requests} requests (default 1500, about half
 * a minute) from seed {@code rime.fuzz.seed}, against tenants that each hold a project, connectors, a pipeline with
 * runs, runners, a leased job, API keys and a second user. bench/fuzz.sh runs the same test with a larger budget.
 */
@QuarkusTest
class OpenApiFuzzTest {

    /**
     * Bugs the fuzzer found that are not fixed yet: finding signatures ({@code kind operation mutation status}, where
     * {@code *} stands for any text) with what is wrong. The test fails on any finding no entry covers; remove an
     * entry once its bug is fixed (the report lists entries a run did not hit).
     */
    static final Map<String, String> KNOWN_FINDINGS = new LinkedHashMap<>();

    static {
        String bare = "A request target the HTTP layer cannot decode (a malformed percent-escape such as %zz, % or %F, or "
                + "raw bytes that are not UTF-8 such as E2 82, ED A0 80 or F0 80 80 AF) is answered 400 before the "
                + "application's router runs: empty body, no Content-Type, no X-Request-Id, so no error envelope.";
        KNOWN_FINDINGS.put("envelope * INVALID_UTF8_PATH 400", bare);
        KNOWN_FINDINGS.put("request-id * INVALID_UTF8_PATH 400", bare);
        KNOWN_FINDINGS.put("envelope * INVALID_UTF8_QUERY 400", bare);
        KNOWN_FINDINGS.put("request-id * INVALID_UTF8_QUERY 400", bare);
        String tooLong = "A request line over 4096 bytes (Vert.x's default maximum initial line length) is answered 414 "
                + "before the application's router runs: empty body, no X-Request-Id, and 414 is documented nowhere.";
        KNOWN_FINDINGS.put("envelope * BAD_QUERY_VALUE 414", tooLong);
        KNOWN_FINDINGS.put("request-id * BAD_QUERY_VALUE 414", tooLong);
        KNOWN_FINDINGS.put("undocumented-status * BAD_QUERY_VALUE 414", tooLong);
        KNOWN_FINDINGS.put("leak POST /api/v1/projects/{id}/connectors/{connectorId}/schema/refresh * 422", "By design "
                + "or not, to decide: the 422 of a failed schema discovery quotes the source database's error with its "
                + "SQLSTATE ('role \"u\" does not exist (SQLSTATE 28000).'). It is the customer's database, not "
                + "Rime's, but it is the only error body that carries SQL error codes.");
    }

    /** Values of the list filters, which the document types as free strings. */
    private static final Map<String, List<String>> FILTER_VALUES = Map.of(
            "GET /api/v1/projects/{id}/connectors ?status", List.of("active", "paused"),
            "GET /api/v1/projects/{id}/connectors ?type", List.of("postgresql", "mysql", "csv", "json", "rest_api"),
            "GET /api/v1/projects/{id}/connectors/{connectorId}/runs ?status",
            List.of("running", "completed", "partially_failed", "failed", "skipped", "cancelled"),
            "GET /api/v1/projects/{id}/connectors/{connectorId}/runs ?trigger", List.of("scheduled", "manual", "pipeline"),
            "GET /api/v1/projects/{id}/pipelines/{pipelineId}/runs ?status",
            List.of("queued", "running", "succeeded", "failed", "cancelled", "skipped"),
            "GET /api/v1/projects/{id}/pipelines/{pipelineId}/runs ?trigger", List.of("scheduled", "manual", "retry"),
            "GET /api/v1/users ?status", List.of("active", "invited", "deactivated"),
            "GET /api/v1/audit-events ?action", List.of("resource.created", "resource.modified", "auth.login"),
            "GET /api/v1/audit-events ?resource_type", List.of("project", "connector", "pipeline", "user"));

    /** A PostgreSQL source that does not exist: syncs, tests and schema refreshes fail fast. */
    private static final Map<String, Object> PG_CONFIG = Map.of("host", CustomerDatabase.HOST, "port",
            CustomerDatabase.port(), "database", "x", "username", "u", "password", "p");

    private static final long SEED = Long.getLong("rime.fuzz.seed", 20_250_611L);
    private static final int REQUESTS = Integer.getInteger("rime.fuzz.requests", 1500);
    /** The fuzzer's own loopback address, so its logins never share the per-IP bucket with other tests. */
    private static final String CLIENT_ADDRESS = System.getProperty("rime.fuzz.client-address", "127.0.0.77");
    /** Sorted keys: Map.of iterates in a different order in every JVM, and a seed must replay the same bodies. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    @Test
    void everyOperationAnswersValidAndInvalidRequestsAsDocumented() throws Exception {
        JsonNode document = JSON.readTree(given().relaxedHTTPSValidation().baseUri("https://localhost")
                .port(Api.HTTPS_PORT).get("/api/openapi.json").then().statusCode(200).extract().asByteArray());
        int tenants = Integer.getInteger("rime.fuzz.tenants", Math.clamp(REQUESTS / 1000, 3, 20));
        Fixture fixture = new Fixture(tenants);
        OpenApiFuzzer fuzzer = new OpenApiFuzzer(document, fixture, SEED,
                path -> path.startsWith("/api/v1/test-support")); // test-only routes that fail on purpose
        fixture.harvestCursors(fuzzer);

        List<OpenApiFuzzer.Planned> plan = fuzzer.plan(REQUESTS);
        System.out.printf("fuzz: seed=%d, %d requests over %d operations and %d tenants (-Drime.fuzz.seed=%d replays)%n",
                SEED, plan.size(), fuzzer.operations().size(), tenants, SEED);
        OpenApiFuzzer.Summary summary;
        try (PrintStream log = new PrintStream(Files.newOutputStream(Path.of("target/fuzz-requests.log")), false,
                StandardCharsets.UTF_8)) {
            summary = fuzzer.run(plan, Api.HTTPS_PORT, CLIENT_ADDRESS, System.out, log);
        }
        String report = fuzzer.report(summary, REQUESTS, KNOWN_FINDINGS);
        System.out.println(report);
        Files.writeString(Path.of("target/fuzz-report.txt"), report, StandardCharsets.UTF_8);
        Files.writeString(Path.of("target/fuzz-findings.txt"), fuzzer.findingDetails(summary, KNOWN_FINDINGS),
                StandardCharsets.UTF_8);
        SecretLeaks.checkLog();

        assertEquals(plan.size(), summary.sent());
        List<String> fresh = summary.findings().keySet().stream()
                .filter(signature -> OpenApiFuzzer.knownAs(KNOWN_FINDINGS, signature) == null).toList();
        assertTrue(fresh.isEmpty(), "new fuzz findings (seed " + SEED + "; every request and answer in "
                + "target/fuzz-requests.log, one example per finding in target/fuzz-findings.txt): " + fresh);
    }

    /** The tenants the fuzzer works on, their resources and credentials. */
    static final class Fixture implements OpenApiFuzzer.Environment {

        private final List<TenantFixture> tenants = new ArrayList<>();
        private final Map<String, String> rules = new HashMap<>();
        private final long jsonLimit = ConfigProvider.getConfig()
                .getOptionalValue("rime.platform.max-json-body-bytes", Long.class).orElse(1_048_576L);
        private final long uploadLimit = ConfigProvider.getConfig()
                .getOptionalValue("rime.connectors.upload-max-bytes", Long.class).orElse(104_857_600L);
        private final String redisRunId = redisRunId();

        Fixture(int count) throws Exception {
            for (Routes.Route route : Routes.all()) {
                rules.put(route.verb() + " " + route.path(), route.rule());
            }
            for (int i = 0; i < count; i++) {
                tenants.add(new TenantFixture());
            }
        }

        void harvestCursors(OpenApiFuzzer fuzzer) {
            for (TenantFixture t : tenants) {
                for (Operation op : fuzzer.operations()) {
                    if (!op.method().equals("GET") || op.probe() || op.query("cursor") == null) {
                        continue;
                    }
                    for (String path : fuzzer.instances(op, t.root)) {
                        String relative = path.substring("/api/v1".length());
                        Response r = op.platform() ? Api.operator().queryParam("limit", 1).get(relative)
                                : Api.tenant(t.subdomain).header("Authorization", "Bearer " + t.admin())
                                        .queryParam("limit", 1).get(relative);
                        String cursor = r.statusCode() == 200 ? r.path("next_cursor") : null;
                        if (cursor != null) {
                            t.cursors.put(path, cursor);
                        }
                    }
                }
            }
        }

        @Override
        public int tenants() {
            return tenants.size();
        }

        @Override
        public String tenantHost(int tenant) {
            return tenants.get(tenant).subdomain + ".localhost:" + Api.HTTPS_PORT;
        }

        @Override
        public String operatorHost() {
            return "localhost:" + Api.HTTPS_PORT;
        }

        @Override
        public String token(int tenant, Credential credential) {
            TenantFixture t = tenants.get(tenant);
            return switch (credential) {
                case ADMIN, FOREIGN_ADMIN -> t.admin();
                case VIEWER -> Api.minted(t.subdomain, "viewer", Api.randomId()).accessToken();
                case RUNNER, FOREIGN_RUNNER -> t.runnerToken;
                case OPERATOR -> Api.OPERATOR_TOKEN;
                case NONE -> null;
            };
        }

        @Override
        public Resource resources(int tenant) {
            return tenants.get(tenant).root;
        }

        @Override
        public Map<String, String> cursors(int tenant) {
            return tenants.get(tenant).cursors;
        }

        @Override
        public List<JsonNode> hints(int tenant, String property) {
            List<String> filter = FILTER_VALUES.get(property);
            if (filter != null) {
                return filter.stream().<JsonNode>map(TextNode::new).toList();
            }
            return tenants.get(tenant).hints.getOrDefault(property, List.of());
        }

        @Override
        public void fixBody(Operation operation, ObjectNode body, Random random) {
            if (body.get("tables") instanceof ArrayNode tables) {
                for (JsonNode table : tables) {
                    if (table instanceof ObjectNode t && "incremental".equals(t.path("sync_mode").asText())
                            && !t.has("cursor_column")) {
                        t.put("cursor_column", "updated_at"); // an incremental sync needs its cursor column
                    }
                }
            }
            if (body.get("steps") instanceof ArrayNode steps) {
                for (int i = 0; i < steps.size(); i++) {
                    if (steps.get(i) instanceof ObjectNode step && step.has("key")) {
                        step.put("key", "s" + i); // keys are unique within a pipeline
                        if (!step.has("config")) {
                            step.set("config", JSON.valueToTree(Map.of("seconds", 0))); // a wait step needs its seconds
                        }
                    }
                }
            }
            if (operation.method().equals("PATCH") && operation.path().endsWith("/connectors/{connectorId}")) {
                body.remove("type"); // a connector's type cannot change
            } else if (operation.method().equals("POST") && operation.path().endsWith("/connectors") && !body.has("config")) {
                body.set("config", JSON.valueToTree(PG_CONFIG)); // optional in the schema, required per type
            }
        }

        @Override
        public String accessRule(Operation operation) {
            return rules.getOrDefault(operation.method() + " " + operation.path(), "admin");
        }

        @Override
        public int maxRequests(Operation operation) {
            // the operator's buckets are shared with every test run on this Redis
            if (operation.platform()) {
                return operation.method().equals("GET") ? 40 : 12;
            }
            return Integer.MAX_VALUE;
        }

        @Override
        public long jsonBodyLimit() {
            return jsonLimit;
        }

        @Override
        public long uploadLimit() {
            return uploadLimit;
        }

        @Override
        public List<String> secrets() {
            return List.of(Api.PASSWORD);
        }

        @Override
        public boolean backingServiceInterrupted() {
            String now = redisRunId();
            return now == null || !now.equals(redisRunId);
        }
    }

    /** Redis's run_id, which changes when it restarts, or null when it does not answer. */
    static String redisRunId() {
        URI redis = URI.create(ConfigProvider.getConfig().getOptionalValue("quarkus.redis.hosts", String.class)
                .orElse("redis://127.0.0.1:6379").split(",")[0].trim());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort()), 1000);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write("*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("run_id:")) {
                    return line.substring("run_id:".length()).trim();
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** One tenant with one of each resource the API manages, and the credentials to reach them. */
    static final class TenantFixture {

        final String subdomain;
        final String adminId;
        final String runnerToken;
        final Resource root;
        final Map<String, String> cursors = new LinkedHashMap<>();
        final Map<String, List<JsonNode>> hints = new HashMap<>();

        TenantFixture() {
            // as Api.newTenant, keeping the tenant's id for the operator routes
            subdomain = Api.uniqueSubdomain("fz");
            String email = "admin@" + subdomain + ".test";
            Response provisioned = Api.operator().contentType(ContentType.JSON).body(Map.of("subdomain", subdomain,
                    "name", "Fuzz " + subdomain, "tier", "business", "admin", Map.of("email", email, "first_name", "Ada",
                            "last_name", "Admin", "password", Api.PASSWORD))).post("/platform/tenants");
            provisioned.then().statusCode(201);
            String tenantId = provisioned.path("tenant.id");
            adminId = provisioned.path("admin.id");
            TestTenant.Session admin = Api.login(subdomain, email, Api.PASSWORD);
            root = new Resource(tenantId);
            root.add("tenants", tenantId);

            Resource project = root.add("projects", create(admin, "/projects", Map.of("name", "fuzz-a")));
            root.add("projects", create(admin, "/projects", Map.of("name", "fuzz-b")));
            String projectPath = "/projects/" + project.id();
            Map<String, Object> pgConfig = PG_CONFIG;
            Resource pg = project.add("connectors", create(admin, projectPath + "/connectors",
                    Map.of("name", "pg", "type", "postgresql", "config", pgConfig, "tables",
                            List.of(Map.of("name", "public.orders")))));
            Resource mysql = project.add("connectors", create(admin, projectPath + "/connectors",
                    Map.of("name", "erp", "type", "mysql", "config", Map.of("host", "erp.internal", "database", "erp",
                            "username", "reader", "password", "mysql-pw"), "tables", List.of(Map.of("name", "orders")))))
                    // its connection test waits the full test timeout (10 s) for a runner to answer
                    .avoid("/{connectorId}/test");
            project.add("connectors", create(admin, projectPath + "/connectors",
                    Map.of("name", "file", "type", "csv", "config", Map.of())));
            pg.add("runs", action(admin, projectPath + "/connectors/" + pg.id() + "/sync"));
            mysql.add("runs", action(admin, projectPath + "/connectors/" + mysql.id() + "/sync"));

            Map<String, Object> hold = Map.of("key", "hold", "type", "wait", "config", Map.of("seconds", 0));
            Resource pipeline = project.add("pipelines", create(admin, projectPath + "/pipelines",
                    Map.of("name", "fuzz-pipe", "steps", List.of(hold))));
            String pipelinePath = projectPath + "/pipelines/" + pipeline.id();
            Api.as(admin).contentType(ContentType.JSON).body(Map.of("steps", List.of(Map.of("key", "hold", "type", "wait",
                    "config", Map.of("seconds", 0), "on_failure", "continue")))).patch(pipelinePath).then().statusCode(200);
            pipeline.add("versions", "1");
            pipeline.add("versions", "2");
            for (int i = 0; i < 2; i++) {
                pipeline.add("runs", action(admin, pipelinePath + "/runs")).add("steps", "hold");
            }
            // a run still going while the fuzzer starts, so a cancel (and then a retry) can succeed
            Resource slow = project.add("pipelines", create(admin, projectPath + "/pipelines", Map.of("name", "fuzz-slow",
                    "steps", List.of(Map.of("key", "hold", "type", "wait", "config", Map.of("seconds", 30))))));
            slow.add("versions", "1");
            slow.add("runs", action(admin, projectPath + "/pipelines/" + slow.id() + "/runs")).add("steps", "hold");

            runnerToken = Api.as(admin).contentType(ContentType.JSON).body(Map.of("name", "fuzz-runner")).post("/runners")
                    .then().statusCode(201).extract().path("token");
            root.add("runners", create(admin, "/runners", Map.of("name", "fuzz-spare")));
            Response[] leased = new Response[1];
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                leased[0] = Api.tenant(subdomain).header("Authorization", "Bearer " + runnerToken).post("/runner/jobs/lease");
                return leased[0].statusCode() == 200;
            });
            root.add("jobs", leased[0].path("id"));

            for (String name : List.of("fuzz-key-a", "fuzz-key-b")) {
                project.add("api-keys", create(admin, projectPath + "/api-keys", Map.of("name", name, "role", "viewer")));
            }
            Response invited = Api.as(admin).contentType(ContentType.JSON)
                    .body(Map.of("email", "member@" + subdomain + ".test", "role", "editor")).post("/users");
            invited.then().statusCode(201);
            root.add("users", invited.path("user.id"));

            TestTenant.Session second = Api.login(subdomain, email, Api.PASSWORD);
            List<String> sessions = Api.as(admin).get("/auth/sessions").then().statusCode(200).extract().path("data.id");
            sessions.forEach(id -> root.add("sessions", id));

            hint("ConnectorInput.type", "postgresql");
            hint("ConnectorInput.config", pgConfig);
            hint("PipelineStep.type", "wait");
            hint("PipelineStep.config", Map.of("seconds", 0));
            hint("PipelineStep.dependsOn", List.of());
            hint("LoginRequest.email", email);
            hint("LoginRequest.password", Api.PASSWORD);
            hint("RefreshRequest.refreshToken", second.refreshToken());
            hint("AcceptInvitation.token", invited.path("invitation_token"));
            hint("JobCompletion.result", Map.of("tables", List.of(Map.of("name", "orders", "status", "completed",
                    "rows_extracted", 3))));
        }

        /** A fresh admin token for every request, so a revoked session (logout) never stops the run. */
        String admin() {
            return TestTokens.sign(TestTokens.claims(subdomain, "admin", Set.of("admin", "governance_admin", "editor",
                    "viewer")).subject(adminId));
        }

        private void hint(String property, Object value) {
            hints.put(property, List.of(JSON.valueToTree(value)));
        }

        private static String create(TestTenant.Session session, String path, Object body) {
            return Api.as(session).contentType(ContentType.JSON).body(body).post(path).then().statusCode(201)
                    .extract().path("id");
        }

        private static String action(TestTenant.Session session, String path) {
            return Api.as(session).post(path).then().statusCode(202).extract().path("id");
        }
    }
}
