package io.rimedata.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.rimedata.support.Api;
import io.rimedata.support.RawHttp;
import io.rimedata.support.TestTenant;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every decision about a request is taken on the path the router dispatches on. Each spelling below is sent byte
 * for byte (no client normalisation) against three walls: the operator's routes from a tenant's host and without the
 * operator's credential, an API key's project confinement, and the HTTPS-only rule. None may get through.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PathSpellingTest {

    /** A spelling rewrites a canonical path {@code /api/v1/<a>/<b>[/<c>…]} into another way of writing it. */
    record Spelling(String name, UnaryOperator<String> rewrite) {
    }

    static final List<Spelling> SPELLINGS = List.of(
            new Spelling("encoded first letter", p -> "/%61" + p.substring(2)),
            new Spelling("encoded version", p -> p.replace("/v1/", "/%76%31/")),
            new Spelling("encoded letter of third segment", p -> encodeFirstLetter(p, 3)),
            new Spelling("fully encoded third segment", p -> encodeSegment(p, 3)),
            new Spelling("leading double slash", p -> "/" + p),
            new Spelling("double slash after api", p -> p.replace("/api/", "/api//")),
            new Spelling("double slash after v1", p -> p.replace("/v1/", "/v1//")),
            new Spelling("trailing double slash", p -> p + "//"),
            new Spelling("dot segment", p -> p.replace("/v1/", "/v1/./")),
            new Spelling("leading dot segment", p -> "/." + p),
            new Spelling("dot-dot through a made-up segment", p -> p.replace("/v1/", "/v1/x/../")),
            new Spelling("dot-dot from the root", p -> "/x/.." + p),
            new Spelling("encoded dot-dot", p -> p.replace("/v1/", "/v1/x/%2e%2e/")),
            new Spelling("upper-case encoded dot-dot", p -> p.replace("/v1/", "/v1/x/%2E%2E/")),
            new Spelling("half-encoded dot-dot", p -> p.replace("/v1/", "/v1/x/.%2e/")),
            new Spelling("encoded single dot", p -> p.replace("/v1/", "/v1/%2e/")),
            new Spelling("trailing dot segment", p -> p + "/."),
            new Spelling("trailing dot-dot", p -> p + "/x/.."),
            new Spelling("encoded slash", p -> p.replace("/v1/", "/v1%2F")),
            new Spelling("lower-case encoded slash", p -> p.replace("/v1/", "/v1%2f")),
            new Spelling("backslash", p -> p.replace("/v1/", "/v1\\")),
            new Spelling("encoded backslash", p -> p.replace("/v1/", "/v1%5C")),
            new Spelling("matrix parameter", p -> p.replace("/api/", "/api;x=1/")),
            new Spelling("trailing matrix parameter", p -> p + ";jsessionid=1"),
            new Spelling("encoded semicolon", p -> p.replace("/v1/", "/v1%3B/")),
            new Spelling("encoded NUL", p -> p + "%00"),
            new Spelling("encoded line feed", p -> p + "%0a"),
            new Spelling("encoded tab", p -> p.replace("/v1/", "/v1%09/")),
            new Spelling("upper-case first segment", p -> "/API" + p.substring(4)),
            new Spelling("upper-case version", p -> p.replace("/v1/", "/V1/")),
            new Spelling("double-encoded dot-dot", p -> p.replace("/v1/", "/v1/x/%252e%252e/")),
            new Spelling("overlong UTF-8 dots", p -> p.replace("/v1/", "/v1/x/%c0%ae%c0%ae/")),
            new Spelling("encoded tilde", p -> p + "%7e"),
            new Spelling("absolute-form target", p -> "https://localhost" + p),
            new Spelling("trailing slash", p -> p + "/"));

    private TestTenant tenant;
    private TestTenant.Session keyOfA;
    private String projectA;
    private String projectB;

    @BeforeAll
    void tenantWithTwoProjects() {
        tenant = Api.newTenant();
        projectA = project("alpha-" + Api.randomId());
        projectB = project("bravo-secret-" + Api.randomId());
        String key = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "ci", "role", "admin"))
                .post("/projects/" + projectA + "/api-keys").then().statusCode(201).extract().path("key");
        keyOfA = new TestTenant.Session(tenant.subdomain(), key, null);
    }

    @Test
    void thereAreAtLeastThirtySpellings() {
        assertTrue(SPELLINGS.size() >= 30, "spellings: " + SPELLINGS.size());
    }

    @Test
    void theCanonicalPathsWorkSoTheWallsBelowAreRealRefusals() throws IOException {
        assertEquals(200, RawHttp.tls("GET", "/api/v1/platform/tenants?limit=1", operatorHeaders(true)).status());
        assertEquals(200, RawHttp.tls("GET", "/api/v1/projects/" + projectA, tenantHeaders(keyOfA)).status());
        assertEquals(404, RawHttp.tls("GET", "/api/v1/projects/" + projectB, tenantHeaders(keyOfA)).status());
        assertEquals(200, RawHttp.tls("GET", "/api/v1/projects", tenantHeaders(tenant.admin())).status());
        assertEquals(403, RawHttp.plain("GET", "/api/v1/projects", tenantHeaders(tenant.admin())).status());
    }

    @Test
    void noSpellingReachesTheOperatorRoutesFromATenantHost() throws IOException {
        List<String> leaks = new ArrayList<>();
        for (Spelling s : SPELLINGS) {
            String target = s.rewrite().apply("/api/v1/platform/tenants");
            for (Map<String, String> headers : List.of(tenantHeaders(null), tenantHeaders(tenant.admin()),
                    withOperatorToken(tenantHeaders(null)))) {
                refused(s, target, RawHttp.tls("GET", target, headers), leaks);
                refused(s, target, RawHttp.plain("GET", target, headers), leaks);
            }
        }
        assertTrue(leaks.isEmpty(), String.join("\n", leaks));
    }

    @Test
    void noSpellingReachesTheOperatorRoutesWithoutTheOperatorToken() throws IOException {
        List<String> leaks = new ArrayList<>();
        for (Spelling s : SPELLINGS) {
            String target = s.rewrite().apply("/api/v1/platform/tenants");
            refused(s, target, RawHttp.tls("GET", target, operatorHeaders(false)), leaks);
            refused(s, target, RawHttp.plain("GET", target, operatorHeaders(false)), leaks);
            Map<String, String> tenantToken = new java.util.HashMap<>(operatorHeaders(false));
            tenantToken.put("Authorization", "Bearer " + tenant.admin().accessToken());
            refused(s, target, RawHttp.tls("GET", target, tenantToken), leaks);
        }
        assertTrue(leaks.isEmpty(), String.join("\n", leaks));
    }

    @Test
    void noSpellingTakesAnApiKeyOutOfItsProject() throws IOException {
        List<String> leaks = new ArrayList<>();
        List<String> escapes = List.of(
                "/api/v1/projects/" + projectA + "/../" + projectB,
                "/api/v1/projects/" + projectA + "/%2e%2e/" + projectB,
                "/api/v1/projects/" + projectA + "/%2E%2E/" + projectB,
                "/api/v1/projects/" + projectA + "/.%2e/" + projectB,
                "/api/v1/projects/" + projectA + "/./../" + projectB,
                "/api/v1/projects/" + projectA + "//../" + projectB,
                "/api/v1/projects/" + projectA + "%2F..%2F" + projectB,
                "/api/v1/projects/" + projectA + "/..%2F" + projectB,
                "/api/v1/projects/" + projectA + ";/../" + projectB,
                "/api/v1/projects/" + projectA + "\\..\\" + projectB,
                "/api/v1/projects/" + projectA.toUpperCase() + "/../" + projectB,
                "/api/v1/projects/" + projectA + "/x/../../" + projectB);
        for (String target : escapes) {
            Spelling s = new Spelling("escape", p -> p);
            refused(s, target, RawHttp.tls("GET", target, tenantHeaders(keyOfA)), leaks);
        }
        for (Spelling s : SPELLINGS) {
            String target = s.rewrite().apply("/api/v1/projects/" + projectB);
            refused(s, target, RawHttp.tls("GET", target, tenantHeaders(keyOfA)), leaks);
        }
        assertTrue(leaks.isEmpty(), String.join("\n", leaks));
    }

    @Test
    void noSpellingServesTheApiOverPlainHttp() throws IOException {
        List<String> leaks = new ArrayList<>();
        for (Spelling s : SPELLINGS) {
            String target = s.rewrite().apply("/api/v1/projects");
            refused(s, target, RawHttp.plain("GET", target, tenantHeaders(tenant.admin())), leaks);
        }
        assertTrue(leaks.isEmpty(), String.join("\n", leaks));
    }

    @Test
    void aNonCanonicalPathIsA400WithTheEnvelope() throws IOException {
        RawHttp.Reply reply = RawHttp.tls("GET", "/%61pi/v1/platform/tenants", operatorHeaders(true));
        assertEquals(400, reply.status());
        assertTrue(reply.body().contains("\"code\":\"validation_error\""), reply.body());
        assertTrue(reply.head().toLowerCase().contains("x-request-id: req_"), reply.head());
    }

    /** Refusals are 4xx answers that reveal nothing: no success, no server error, nothing of project B. */
    private void refused(Spelling s, String target, RawHttp.Reply reply, List<String> leaks) {
        boolean ok = reply.status() >= 400 && reply.status() < 500 && !reply.body().contains("bravo-secret")
                && !reply.body().contains("\"subdomain\"");
        if (!ok) {
            leaks.add(s.name() + " " + target + " -> " + reply.status() + " " + reply.body());
        }
        assertFalse(reply.status() >= 500, s.name() + " " + target + " -> " + reply.status());
    }

    private String project(String name) {
        return Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", name)).post("/projects")
                .then().statusCode(201).extract().path("id");
    }

    private Map<String, String> tenantHeaders(TestTenant.Session session) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Host", tenant.subdomain() + ".localhost:" + Api.HTTPS_PORT);
        if (session != null) {
            headers.put("Authorization", "Bearer " + session.accessToken());
        }
        return headers;
    }

    private static Map<String, String> operatorHeaders(boolean withToken) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Host", "localhost:" + Api.HTTPS_PORT);
        return withToken ? withOperatorToken(headers) : headers;
    }

    private static Map<String, String> withOperatorToken(Map<String, String> headers) {
        Map<String, String> copy = new java.util.LinkedHashMap<>(headers);
        copy.put("Authorization", "Bearer " + Api.OPERATOR_TOKEN);
        return copy;
    }

    private static String encodeFirstLetter(String path, int segment) {
        String[] parts = path.split("/", -1);
        parts[segment] = String.format("%%%02x", (int) parts[segment].charAt(0)) + parts[segment].substring(1);
        return String.join("/", parts);
    }

    private static String encodeSegment(String path, int segment) {
        String[] parts = path.split("/", -1);
        StringBuilder encoded = new StringBuilder();
        for (char c : parts[segment].toCharArray()) {
            encoded.append(String.format("%%%02X", (int) c));
        }
        parts[segment] = encoded.toString();
        return String.join("/", parts);
    }
}
