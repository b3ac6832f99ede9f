package io.rimedata.pipeline.rest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pipelines CRUD (§7.1): validation (400 versus 422), versions, secrets, tier cap, isolation and roles. */
@QuarkusTest
class PipelineResourceTest {

    private static TestTenant tenant;
    private static String project;
    private static String connector;

    @BeforeAll
    static void setUp() {
        tenant = Api.newTenant("business");
        project = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "pipes")).post("/projects")
                .then().statusCode(201).extract().path("id");
        connector = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "src", "type", "postgresql",
                "config", Map.of("host", "source-db.internal", "database", "x", "username", "u", "password", "p")))
                .post(base().replace("pipelines", "connectors")).then().statusCode(201).extract().path("id");
    }

    private static String base() {
        return "/projects/" + project + "/pipelines";
    }

    static Map<String, Object> step(String key, String type, Map<String, Object> config, String... dependsOn) {
        return Map.of("key", key, "type", type, "config", config, "depends_on", List.of(dependsOn));
    }

    private static Response create(String name, List<Map<String, Object>> steps) {
        return Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", name, "steps", steps)).post(base());
    }

    @Test
    void createsAPipelineAsVersionOneWithDefaults() {
        create("defaults", List.of(step("load", "extract", Map.of("connector_id", connector)),
                step("hold", "wait", Map.of("seconds", 0), "load")))
                .then().statusCode(201).header("ETag", not(nullValue())).header("Location", containsString("/pipelines/"))
                .body("current_version", equalTo(1))
                .body("steps[1].name", equalTo("hold"))
                .body("steps[1].depends_on", equalTo(List.of("load")))
                .body("steps[1].timeout_seconds", equalTo(3600))
                .body("steps[1].retry.max_attempts", equalTo(1))
                .body("steps[1].on_failure", equalTo("stop"));
    }

    @Test
    void rejectsUnknownTypesAndConfigFieldsWith400NamingEachField() {
        Envelope.assertError(create("bad", List.of(step("a", "teleport", Map.of()))), 400, "validation_error")
                .body("error.details.field", equalTo(List.of("steps[0].type")));
        Envelope.assertError(create("bad", List.of(step("ok", "wait", Map.of("seconds", 0)), step("Not OK", "wait",
                Map.of("seconds", 0)))), 400, "validation_error").body("error.details.field", equalTo(List.of("steps[1].key")));
        Envelope.assertError(create("bad", List.of(
                step("a", "wait", Map.of("seconds", -1)),
                step("b", "wait", Map.of("seconds", 5, "colour", "red")),
                step("c", "webhook", Map.of("url", "not a url")),
                step("c", "wait", Map.of()))), 400, "validation_error")
                .body("error.details.field", hasItems("steps[0].config.seconds", "steps[1].config.colour", "steps[2].config.url",
                        "steps[3].key", "steps[3].config.seconds"));
    }

    @Test
    void rejectsGraphProblemsWith422() {
        Envelope.assertError(create("missing", List.of(step("a", "wait", Map.of("seconds", 0), "nope"))), 422,
                "unprocessable_entity").body("error.details[0].field", equalTo("steps[0].depends_on[0]"));
        Envelope.assertError(create("self", List.of(step("a", "wait", Map.of("seconds", 0), "a"))), 422,
                "unprocessable_entity").body("error.details[0].message", containsString("itself"));
        Envelope.assertError(create("twice", List.of(step("a", "wait", Map.of("seconds", 0)),
                step("b", "wait", Map.of("seconds", 0), "a", "a"))), 422, "unprocessable_entity")
                .body("error.details[0].field", equalTo("steps[1].depends_on[1]"));
        Envelope.assertError(create("cycle", List.of(step("a", "wait", Map.of("seconds", 0), "c"),
                step("b", "wait", Map.of("seconds", 0), "a"), step("c", "wait", Map.of("seconds", 0), "b"))), 422,
                "unprocessable_entity").body("error.details.message", hasItem("Steps form a cycle: a → b → c → a."));
    }

    @Test
    void rejectsReferencesToMissingOrUnsuitableConnectorsWith422() {
        String csv = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "file", "type", "csv",
                "config", Map.of())).post(base().replace("pipelines", "connectors")).then().statusCode(201).extract().path("id");
        Envelope.assertError(create("refs", List.of(step("load", "extract", Map.of("connector_id", Api.randomId())),
                step("check", "validate", Map.of("checks", List.of(Map.of("name", "rows", "connector_id", csv,
                        "sql", "select 1", "expect", "some_rows")))))), 422, "unprocessable_entity")
                .body("error.details.field", equalTo(List.of("steps[0].config.connector_id",
                        "steps[1].config.checks[0].connector_id")));
    }

    @Test
    void structuralChangesMakeANewVersionWhileRenamesDoNot() {
        String id = create("versions", List.of(step("a", "wait", Map.of("seconds", 1)))).then().statusCode(201)
                .extract().path("id");
        Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "renamed", "description", "d",
                "schedule", Map.of("cron", "0 3 * * *"))).patch(base() + "/" + id)
                .then().statusCode(200).body("current_version", equalTo(1)).body("schedule.concurrency_policy", equalTo("skip"));
        Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("steps", List.of(step("a", "wait", Map.of("seconds", 2)))))
                .patch(base() + "/" + id).then().statusCode(200).body("current_version", equalTo(2));
        Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("steps", List.of(
                Map.of("key", "a", "type", "wait", "config", Map.of("seconds", 2), "on_failure", "continue"))))
                .patch(base() + "/" + id).then().statusCode(200).body("current_version", equalTo(3));
        Api.as(tenant.admin()).get(base() + "/" + id + "/versions").then().statusCode(200)
                .body("data.number", equalTo(List.of(1, 2, 3))).body("data.is_current", equalTo(List.of(false, false, true)));
        Api.as(tenant.admin()).get(base() + "/" + id + "/versions/1").then().statusCode(200)
                .body("steps[0].config.seconds", equalTo(1)).body("is_current", equalTo(false));

        Api.as(tenant.admin()).post(base() + "/" + id + "/versions/1/restore").then().statusCode(201)
                .body("number", equalTo(4)).body("is_current", equalTo(true)).body("steps[0].config.seconds", equalTo(1));
        Api.as(tenant.admin()).get(base() + "/" + id).then().body("current_version", equalTo(4)).body("name", equalTo("renamed"));
        Envelope.assertError(Api.as(tenant.admin()).get(base() + "/" + id + "/versions/9"), 404, "resource_not_found");
    }

    @Test
    void signingSecretsAreWriteOnlyAndKeptWithSetTrue() {
        Response created = create("hook", List.of(step("notify", "webhook", Map.of("url", "https://example.test/hook",
                "signing_secret", "s3cr3t-signing-value"))));
        created.then().statusCode(201).body("steps[0].config.signing_secret.set", equalTo(true))
                .body("steps[0].config.method", equalTo("POST"));
        String id = created.path("id");
        Map<String, Object> same = Map.of("steps", List.of(step("notify", "webhook", Map.of("url", "https://example.test/hook",
                "signing_secret", Map.of("set", true)))));
        Api.as(tenant.admin()).contentType(ContentType.JSON).body(same).patch(base() + "/" + id)
                .then().statusCode(200).body("current_version", equalTo(1)).body("steps[0].config.signing_secret.set", equalTo(true));
        Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("steps", List.of(step("other", "webhook",
                Map.of("url", "https://example.test/hook", "signing_secret", Map.of("set", true))))))
                .patch(base() + "/" + id).then().statusCode(400).body("error.details[0].field", equalTo("steps[0].config.signing_secret"));
    }

    @Test
    void listingShowsEachPipelineWithItsCurrentVersionsSteps() {
        TestTenant own = Api.newTenant();
        String p = Api.as(own.admin()).contentType(ContentType.JSON).body(Map.of("name", "listed")).post("/projects")
                .then().statusCode(201).extract().path("id");
        String path = "/projects/" + p + "/pipelines";
        String first = Api.as(own.admin()).contentType(ContentType.JSON).body(Map.of("name", "one", "steps",
                List.of(step("a", "wait", Map.of("seconds", 1))))).post(path).then().statusCode(201).extract().path("id");
        Api.as(own.admin()).contentType(ContentType.JSON).body(Map.of("name", "two", "steps",
                List.of(step("b", "wait", Map.of("seconds", 2))))).post(path).then().statusCode(201);
        Api.as(own.admin()).contentType(ContentType.JSON).body(Map.of("steps", List.of(step("a", "wait", Map.of("seconds", 9)))))
                .patch(path + "/" + first).then().statusCode(200).body("current_version", equalTo(2));
        Api.as(own.admin()).get(path).then().statusCode(200)
                .body("data.name", equalTo(List.of("one", "two")))
                .body("data.current_version", equalTo(List.of(2, 1)))
                .body("data.steps[0].config.seconds", equalTo(List.of(9)))
                .body("data[1].steps[0].config.seconds", equalTo(2));
    }

    @Test
    void namesAreUniquePerProject() {
        create("twin", List.of(step("a", "wait", Map.of("seconds", 0)))).then().statusCode(201);
        Envelope.assertError(create("TWIN", List.of(step("a", "wait", Map.of("seconds", 0)))), 409, "conflict");
    }

    @Test
    void deleteAnswersIfMatchAndThen404() {
        Response created = create("doomed", List.of(step("a", "wait", Map.of("seconds", 0))));
        String id = created.path("id");
        Envelope.assertError(Api.as(tenant.admin()).header("If-Match", "\"nope\"").delete(base() + "/" + id), 412,
                "precondition_failed");
        Api.as(tenant.admin()).header("If-Match", created.header("ETag")).delete(base() + "/" + id).then().statusCode(204);
        Envelope.assertError(Api.as(tenant.admin()).get(base() + "/" + id), 404, "resource_not_found");
    }

    @Test
    void anotherTenantsPipelineIsNotFoundAndViewersCannotWrite() {
        String id = create("private", List.of(step("a", "wait", Map.of("seconds", 0)))).path("id");
        TestTenant other = Api.newTenant();
        Envelope.assertError(Api.as(other.admin()).get(base() + "/" + id), 404, "resource_not_found");
        Envelope.assertError(Api.as(other.admin()).post(base() + "/" + id + "/runs"), 404, "resource_not_found");
        TestTenant.Session viewer = Api.minted(tenant.subdomain(), "viewer", Api.randomId());
        Api.as(viewer).get(base() + "/" + id).then().statusCode(200);
        Envelope.assertError(Api.as(viewer).post(base() + "/" + id + "/runs"), 403, "forbidden");
        Envelope.assertError(Api.as(viewer).contentType(ContentType.JSON).body(Map.of("name", "v"))
                .patch(base() + "/" + id), 403, "forbidden");
    }

    @Test
    void theFreeTierCapsPipelinesPerProject() {
        TestTenant free = Api.newTenant("free");
        String freeProject = Api.as(free.admin()).contentType(ContentType.JSON).body(Map.of("name", "p")).post("/projects")
                .then().statusCode(201).extract().path("id");
        for (int i = 0; i < 5; i++) {
            Api.as(free.admin()).contentType(ContentType.JSON).body(Map.of("name", "p" + i, "steps",
                    List.of(step("a", "wait", Map.of("seconds", 0))))).post("/projects/" + freeProject + "/pipelines")
                    .then().statusCode(201);
        }
        Envelope.assertError(Api.as(free.admin()).contentType(ContentType.JSON).body(Map.of("name", "p5", "steps",
                List.of(step("a", "wait", Map.of("seconds", 0))))).post("/projects/" + freeProject + "/pipelines"), 403, "forbidden");
    }

    @Test
    void nextFireTimesFollowTheSchedule() {
        String id = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "timed", "steps",
                List.of(step("a", "wait", Map.of("seconds", 0))), "schedule", Map.of("cron", "0 3 * * *", "timezone", "UTC")))
                .post(base()).then().statusCode(201).extract().path("id");
        Api.as(tenant.admin()).get(base() + "/" + id + "/schedule/next?count=3").then().statusCode(200)
                .body("timezone", equalTo("UTC")).body("next", hasSize(3)).body("next[0]", containsString("T03:00:00"));
        Envelope.assertError(Api.as(tenant.admin()).get(base() + "/" + id + "/schedule/next?count=0"), 400, "validation_error");
    }
}
