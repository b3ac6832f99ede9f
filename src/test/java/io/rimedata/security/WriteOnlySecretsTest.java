package io.rimedata.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.rimedata.support.Api;
import io.rimedata.support.SecretLeaks;
import io.rimedata.support.TestTenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every write-only value the API takes — the secret fields of all sixteen connector types (each REST auth variant
 * included), webhook signing secrets — and every credential it hands out once — runner tokens, API keys — is
 * registered with {@link SecretLeaks}, which fails any later response body or server log line that contains one.
 * The paths that handle them are then driven: create, read, list, patch, use, revoke.
 */
@QuarkusTest
class WriteOnlySecretsTest {

    private final List<String> registered = new ArrayList<>();

    private String secret(String name) {
        String value = SecretLeaks.secret(name + "-" + Api.randomId());
        registered.add(value);
        return value;
    }

    /** A valid config of each type with every secret field set to a fresh registered secret. */
    private Map<String, Object> config(String type, String restAuth) {
        return switch (type) {
            case "postgresql", "mysql", "mssql" -> Map.of("host", "127.0.0.1", "port", 55439, "database", "sales",
                    "username", "loader", "password", secret(type + "-password"));
            case "oracle" -> Map.of("host", "127.0.0.1", "service_name", "ORCL", "username", "u", "password", secret("oracle-password"));
            case "mongodb" -> Map.of("connection_string", secret("mongodb://u:pw@127.0.0.1/db?x"), "database", "db");
            case "salesforce" -> Map.of("instance_url", "https://127.0.0.1:9", "client_id", "c",
                    "client_secret", secret("sf-client-secret"), "refresh_token", secret("sf-refresh"));
            case "xero" -> Map.of("xero_tenant_id", "t", "client_id", "c", "client_secret", secret("xero-client-secret"));
            case "shopify" -> Map.of("shop_domain", "acme.myshopify.com", "access_token", secret("shpat"));
            case "google_sheets" -> Map.of("spreadsheet_id", "1abc", "service_account_json", secret("{\"type\":\"service_account\",\"k\":\"") + "\"}");
            case "jira" -> Map.of("instance_url", "https://127.0.0.1:9", "email", "a@b.c", "api_token", secret("jira-token"),
                    "projects", List.of("DATA"));
            case "github" -> Map.of("organization", "acme", "access_token", secret("ghp"));
            case "gitlab" -> Map.of("group", "acme", "access_token", secret("glpat"));
            case "azure_devops" -> Map.of("organization", "acme", "project", "data", "personal_access_token", secret("ado-pat"));
            case "rest_api" -> Map.of("base_url", "https://127.0.0.1:9", "auth", restAuth(restAuth),
                    "endpoints", List.of(Map.of("path", "/orders")));
            case "csv", "json" -> Map.of();
            default -> throw new IllegalArgumentException(type);
        };
    }

    private Map<String, Object> restAuth(String type) {
        return switch (type) {
            case "api_key" -> Map.of("type", "api_key", "value", secret("api-key-value"));
            case "bearer" -> Map.of("type", "bearer", "token", secret("bearer-token"));
            case "basic" -> Map.of("type", "basic", "username", "u", "password", secret("basic-password"));
            case "oauth2_client_credentials" -> Map.of("type", "oauth2_client_credentials",
                    "token_url", "https://127.0.0.1:9/token", "client_id", "c", "client_secret", secret("oauth-client-secret"));
            default -> Map.of("type", "none");
        };
    }

    @Test
    void noWriteOnlyValueOrOneTimeCredentialComesBackOrIsLogged() throws Exception {
        TestTenant t = Api.newTenant();
        String project = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "secrets"))
                .post("/projects").then().statusCode(201).extract().path("id");
        String connectors = "/projects/" + project + "/connectors";

        List<String> types = List.of("postgresql", "mysql", "mssql", "mongodb", "oracle", "salesforce", "xero", "shopify",
                "google_sheets", "jira", "github", "gitlab", "azure_devops", "rest_api", "csv", "json");
        Map<String, String> created = new LinkedHashMap<>();
        for (String type : types) {
            List<String> variants = type.equals("rest_api")
                    ? List.of("api_key", "bearer", "basic", "oauth2_client_credentials") : List.of("-");
            for (String variant : variants) {
                String id = Api.as(t.admin()).contentType(ContentType.JSON)
                        .body(Map.of("name", type + "-" + variant, "type", type, "config", config(type, variant)))
                        .post(connectors).then().statusCode(201).extract().path("id");
                created.put(id, type);
                Api.as(t.admin()).get(connectors + "/" + id).then().statusCode(200);
                Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", type + "-" + variant + "-renamed"))
                        .patch(connectors + "/" + id).then().statusCode(200);
            }
        }
        assertEquals(19, created.size());
        Api.as(t.admin()).queryParam("limit", 100).get(connectors).then().statusCode(200);

        String signing = secret("whsec");
        String pipeline = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "hooks", "steps", List.of(
                Map.of("key", "hook", "type", "webhook", "config", Map.of("url", "https://127.0.0.1:9/h", "signing_secret", signing)))))
                .post("/projects/" + project + "/pipelines").then().statusCode(201).extract().path("id");
        Api.as(t.admin()).get("/projects/" + project + "/pipelines/" + pipeline).then().statusCode(200);
        Api.as(t.admin()).get("/projects/" + project + "/pipelines/" + pipeline + "/versions").then().statusCode(200);

        // credentials shown once: registered right after the one response allowed to carry them
        String runnerToken = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "r"))
                .post("/runners").then().statusCode(201).extract().path("token");
        registered.add(SecretLeaks.secret(runnerToken));
        String apiKey = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "ci", "role", "viewer"))
                .post("/projects/" + project + "/api-keys").then().statusCode(201).extract().path("key");
        registered.add(SecretLeaks.secret(apiKey));
        Api.tenant(t.subdomain()).header("Authorization", "Bearer " + apiKey).get(connectors).then().statusCode(200);
        Api.tenant(t.subdomain()).header("Authorization", "Bearer " + runnerToken).post("/runner/jobs/lease")
                .then().statusCode(org.hamcrest.Matchers.lessThan(500));
        Api.tenant(t.subdomain()).header("Authorization", "Bearer " + apiKey + "x").get(connectors).then().statusCode(401);
        Api.as(t.admin()).get("/runners").then().statusCode(200);
        Api.as(t.admin()).get("/projects/" + project + "/api-keys").then().statusCode(200);
        Api.as(t.admin()).queryParam("limit", 100).get("/audit-events").then().statusCode(org.hamcrest.Matchers.lessThan(500));

        SecretLeaks.checkLog();
        String log = Files.readString(Path.of("target/quarkus-test.log"));
        for (String value : registered) {
            assertFalse(log.contains(value), "a registered secret is in the server log");
        }
        assertTrue(registered.size() >= 21, "secrets registered: " + registered.size());
    }
}
