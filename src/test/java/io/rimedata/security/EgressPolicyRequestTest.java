package io.rimedata.security;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.TestTenant;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The egress policy at the API: connectors, REST sources and webhook steps cannot point the server at the platform's
 * own stores or at private, link-local and metadata addresses. The test profile allow-lists loopback, so the only
 * traffic here goes to stub servers on loopback; the other refusals are decided without connecting.
 */
@QuarkusTest
class EgressPolicyRequestTest {

    private static final String DATABASE = System.getProperty("rime.test.database", "rime_test");
    private static TestTenant tenant;
    private static String project;
    private static HttpServer stub;

    @BeforeAll
    static void setUp() throws IOException {
        tenant = Api.newTenant("business");
        project = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "egress")).post("/projects")
                .then().statusCode(201).extract().path("id");
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        // 11 MiB of JSON, past the 10 MiB page cap, sent without a Content-Length so only the streamed count sees it
        stub.createContext("/huge", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write('[');
                byte[] chunk = ("\"" + "x".repeat(1022) + "\",").getBytes();
                for (int i = 0; i < 11 * 1024; i++) {
                    out.write(chunk);
                }
                out.write("1]".getBytes());
            } catch (IOException e) {
                // the server resets the request once it has read enough
            }
        });
        stub.createContext("/chatty-hook", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(new byte[200 * 1024]);
            } catch (IOException e) {
                // reset by the server past its cap
            }
        });
        stub.start();
    }

    @AfterAll
    static void tearDown() {
        stub.stop(0);
    }

    private static String stub(String path) {
        return "http://127.0.0.1:" + stub.getAddress().getPort() + path;
    }

    private static Response createConnector(String type, Map<String, Object> config) {
        return Api.as(tenant.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", Api.uniqueSubdomain("c"), "type", type, "config", config))
                .post("/projects/" + project + "/connectors");
    }

    private static Map<String, Object> postgres(String host, int port) {
        return Map.of("host", host, "port", port, "database", "rime", "username", "postgres",
                "password", "egress-test-password", "ssl_mode", "disable");
    }

    @ParameterizedTest
    @ValueSource(strings = { "127.0.0.1", "127.1", "127.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "0177.1",
            "127.000.000.001", "127.0.0.1.", "localhost", "LOCALHOST", "localhost.", "db.localhost", "::1", "[::1]",
            "[::ffff:127.0.0.1]", "::ffff:7f00:1", "0.0.0.0", "0", "127.0.0.2", "127.255.255.254" })
    void postgresqlConnectorAtThePlatformDatabaseIsRefusedWith422(String host) {
        createConnector("postgresql", postgres(host, 5432)).then().statusCode(422)
                .body("error.code", equalTo("unprocessable_entity"))
                .body("error.details[0].field", equalTo("config.host"))
                .body("error.details[0].message", containsString("platform"))
                .body(not(containsString("egress-test-password")));
    }

    @Test
    void aConnectorAtThePlatformRedisIsRefusedToo() {
        createConnector("postgresql", postgres("127.0.0.1", 6379)).then().statusCode(422)
                .body("error.details[0].field", equalTo("config.host"));
        createConnector("mysql", Map.of("host", "localhost", "port", 6379, "database", "d", "username", "u", "password", "p"))
                .then().statusCode(422).body("error.details[0].field", equalTo("config.host"));
    }

    @Test
    void movingAConnectorToThePlatformDatabaseIsRefusedWith422() {
        String id = createConnector("postgresql", postgres("127.0.0.1", 15432)).then().statusCode(201).extract().path("id");
        // the password is supplied again, as a move to another destination requires: the egress policy is what refuses
        Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("config", Map.of("port", 5432, "password", "moved")))
                .patch("/projects/" + project + "/connectors/" + id).then().statusCode(422)
                .body("error.details[0].field", equalTo("config.host"));
        Api.as(tenant.admin()).contentType(ContentType.JSON)
                .body(Map.of("config", Map.of("host", "169.254.169.254", "password", "moved")))
                .patch("/projects/" + project + "/connectors/" + id).then().statusCode(422)
                .body("error.details[0].message", containsString("metadata"));
        Api.as(tenant.admin()).get("/projects/" + project + "/connectors/" + id).then().statusCode(200)
                .body("config.port", equalTo(15432)).body("config.host", equalTo("127.0.0.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://10.0.0.5/api",
            "https://192.168.1.10:8443/", "http://172.16.5.4/", "http://100.64.0.1/", "http://[fe80::1]/",
            "http://[::ffff:10.0.0.5]/", "http://0xa9fea9fe/", "http://2852039166/", "http://127.0.0.1:5432/",
            "http://localhost:6379/" })
    void restApiConnectorAtAPrivateOrMetadataUrlIsRefusedWith422(String url) {
        createConnector("rest_api", Map.of("base_url", url, "endpoints", List.of(Map.of("path", "/items"))))
                .then().statusCode(422).body("error.details[0].field", equalTo("config.base_url"));
    }

    @Test
    void oauthTokenUrlAtTheMetadataAddressIsRefusedWith422() {
        createConnector("rest_api", Map.of("base_url", stub(""), "endpoints", List.of(Map.of("path", "/items")),
                "auth", Map.of("type", "oauth2_client_credentials", "token_url", "http://169.254.169.254/token",
                        "client_id", "c", "client_secret", "egress-test-password")))
                .then().statusCode(422).body("error.details[0].field", equalTo("config.auth.token_url"))
                .body(not(containsString("egress-test-password")));
    }

    @Test
    void runnerOnlyTypesAreCheckedAtCreateToo() {
        createConnector("mysql", Map.of("host", "10.0.0.5", "database", "d", "username", "u", "password", "p"))
                .then().statusCode(422).body("error.details[0].field", equalTo("config.host"));
        createConnector("jira", Map.of("instance_url", "http://169.254.169.254/", "email", "a@b.c", "api_token", "t"))
                .then().statusCode(422).body("error.details[0].field", equalTo("config.instance_url"));
        createConnector("shopify", Map.of("shop_domain", "10.1.2.3", "access_token", "t"))
                .then().statusCode(422).body("error.details[0].field", equalTo("config.shop_domain"));
        createConnector("mongodb", Map.of("connection_string",
                "mongodb://admin:egress-test-password@169.254.169.254:27017,10.0.0.7/app", "database", "app"))
                .then().statusCode(422).body("error.details[0].field", equalTo("config.connection_string"))
                .body(not(containsString("egress-test-password")));
    }

    @Test
    void aHostNameIsResolvedAndEveryAddressItNamesIsChecked() throws Exception {
        // this machine's own name, resolved by the hosts file: no DNS traffic
        String name = InetAddress.getLocalHost().getHostName();
        Assumptions.assumeTrue(Arrays.stream(InetAddress.getAllByName(name)).allMatch(InetAddress::isLoopbackAddress),
                "this machine's name resolves to loopback only");
        String id = createConnector("postgresql", postgres(name, 15432)).then().statusCode(201).extract().path("id");
        createConnector("postgresql", postgres(name, 5432)).then().statusCode(422)
                .body("error.details[0].field", equalTo("config.host"))
                .body("error.details[0].message", containsString("platform"));
        // a move re-supplies the password, as any change of destination must: the egress policy is what refuses
        Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("config", Map.of("port", 6379, "password", "moved")))
                .patch("/projects/" + project + "/connectors/" + id).then().statusCode(422)
                .body("error.details[0].field", equalTo("config.host"));
        Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("config", Map.of("port", 15433, "password", "moved")))
                .patch("/projects/" + project + "/connectors/" + id).then().statusCode(200);
    }

    @Test
    void webhookStepAtTheMetadataAddressIsRefusedWith422NamingTheStep() {
        Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "hooks", "steps", List.of(
                Map.of("key", "pause", "type", "wait", "config", Map.of("seconds", 0)),
                Map.of("key", "notify", "type", "webhook", "config", Map.of("url", "http://169.254.169.254/latest/api/token"),
                        "depends_on", List.of("pause")))))
                .post("/projects/" + project + "/pipelines").then().statusCode(422)
                .body("error.code", equalTo("unprocessable_entity"))
                .body("error.details[0].field", equalTo("steps[1].config.url"))
                .body("error.details[0].message", containsString("169.254.169.254"));
    }

    @Test
    void aRefusalIsAudited() {
        TestTenant own = Api.newTenant();
        String ownProject = Api.as(own.admin()).contentType(ContentType.JSON).body(Map.of("name", "p")).post("/projects")
                .then().statusCode(201).extract().path("id");
        Api.as(own.admin()).contentType(ContentType.JSON).body(Map.of("name", "sneaky", "type", "postgresql",
                "config", postgres("127.1", 5432))).post("/projects/" + ownProject + "/connectors").then().statusCode(422);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Api.as(own.admin())
                .queryParam("action", "egress.refused").get("/audit-events").<List<?>>path("data").size() == 1);
        Api.as(own.admin()).queryParam("action", "egress.refused").get("/audit-events").then().statusCode(200)
                .body("data[0].outcome", equalTo("failure"))
                .body("data[0].resource.type", equalTo("connector"))
                .body("data[0].resource.name", equalTo("sneaky"))
                .body("data[0].changes.'config.host'.after", equalTo("127.1:5432"))
                .body("data[0].changes.egress_refusal.after", containsString("platform"))
                .body(not(containsString("egress-test-password")));
    }

    @Test
    void aConnectorPointedAtThePlatformBehindTheApisBackIsRefusedAtUseTime() throws Exception {
        String id = createConnector("postgresql", postgres("127.0.0.1", 15432)).then().statusCode(201).extract().path("id");
        // as if the row had been written before the policy existed
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DATABASE, "postgres", "");
                PreparedStatement update = db.prepareStatement("update connectors set config = replace(config, '15432', '5432') "
                        + "where id = ?::uuid")) {
            update.setString(1, id);
            update.executeUpdate();
        }
        Api.as(tenant.admin()).post("/projects/" + project + "/connectors/" + id + "/test").then().statusCode(200)
                .body("checks[0].name", equalTo("reachability"))
                .body("checks[0].status", equalTo("failed"))
                .body("checks[0].message", containsString("Refused by the egress policy"))
                .body("checks[1].status", equalTo("skipped"));
        Api.as(tenant.admin()).post("/projects/" + project + "/connectors/" + id + "/schema/refresh").then().statusCode(422)
                .body("error.details[0].field", equalTo("config.host"));
    }

    @Test
    void aRestPageOverTheSizeCapFailsCleanly() {
        String id = createConnector("rest_api", Map.of("base_url", stub(""), "endpoints", List.of(Map.of("path", "/huge"))))
                .then().statusCode(201).extract().path("id");
        Api.as(tenant.admin()).post("/projects/" + project + "/connectors/" + id + "/test").then().statusCode(200)
                .body("checks[0].status", equalTo("passed"))
                .body("checks[1].status", equalTo("failed"))
                .body("checks[1].message", containsString("larger than the limit of 10485760 bytes"));
    }

    @Test
    void aWebhookAnswerOverTheSizeCapFailsTheStep() {
        Map<String, Object> step = new HashMap<>(Map.of("key", "notify", "type", "webhook",
                "config", Map.of("url", stub("/chatty-hook"))));
        String pipeline = Api.as(tenant.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", Api.uniqueSubdomain("p"), "steps", List.of(step)))
                .post("/projects/" + project + "/pipelines").then().statusCode(201).extract().path("id");
        String runs = "/projects/" + project + "/pipelines/" + pipeline + "/runs";
        String run = Api.as(tenant.admin()).post(runs).then().statusCode(202).extract().path("id");
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String status = Api.as(tenant.admin()).get(runs + "/" + run).path("status");
            return !"running".equals(status) && !"queued".equals(status);
        });
        Api.as(tenant.admin()).get(runs + "/" + run).then().statusCode(200)
                .body("status", equalTo("failed"))
                .body("steps[0].error", containsString("larger than the limit of 65536 bytes"));
    }
}
