package io.rimedata.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** REST Assured entry points against the HTTPS port, addressing a tenant through the Host header. */
public final class Api {

    public static final int HTTPS_PORT = Integer.getInteger("rime.test.https-port", 8444);
    public static final int HTTP_PORT = Integer.getInteger("rime.test.http-port", 8081);
    public static final int MANAGEMENT_PORT = Integer.getInteger("rime.test.management-port", 9001);
    public static final String OPERATOR_TOKEN = "test-operator-token-for-the-test-suite";
    public static final String PASSWORD = "correct-horse-battery";

    static {
        // every response body and every server log line of the suite is checked for the test secrets
        io.restassured.RestAssured.filters(new SecretLeaks());
    }

    private Api() {
    }

    /** A request to {@code https://<subdomain>.localhost/api/v1}. */
    public static RequestSpecification tenant(String subdomain) {
        return given().relaxedHTTPSValidation().baseUri("https://localhost").port(HTTPS_PORT).basePath("/api/v1")
                .header("Host", subdomain + ".localhost:" + HTTPS_PORT);
    }

    /** An authenticated request as the given session. */
    public static RequestSpecification as(TestTenant.Session session) {
        return tenant(session.tenant()).header("Authorization", "Bearer " + session.accessToken());
    }

    /** A request to the operator host {@code https://localhost/api/v1} with the operator token. */
    public static RequestSpecification operator() {
        return given().relaxedHTTPSValidation().baseUri("https://localhost").port(HTTPS_PORT).basePath("/api/v1")
                .header("Host", "localhost:" + HTTPS_PORT).header("Authorization", "Bearer " + OPERATOR_TOKEN);
    }

    public static String uniqueSubdomain(String prefix) {
        return prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36);
    }

    /** Creates a fresh tenant through the operator API and logs its admin in. */
    public static TestTenant newTenant(String tier) {
        String subdomain = uniqueSubdomain("t");
        String email = "admin@" + subdomain + ".test";
        operator().contentType(ContentType.JSON)
                .body(Map.of("subdomain", subdomain, "name", "Tenant " + subdomain, "tier", tier,
                        "admin", Map.of("email", email, "first_name", "Ada", "last_name", "Admin", "password", PASSWORD)))
                .post("/platform/tenants").then().statusCode(201);
        return new TestTenant(subdomain, login(subdomain, email, PASSWORD));
    }

    /**
     * Creates a fresh tenant and a session for its admin signed directly with the test key, without calling
     * {@code /auth/login}: for tests whose own subject is the per-IP login limit.
     */
    public static TestTenant newTenantWithoutLogin() {
        String subdomain = uniqueSubdomain("t");
        String adminId = operator().contentType(ContentType.JSON)
                .body(Map.of("subdomain", subdomain, "name", "Tenant " + subdomain, "tier", "business_critical",
                        "admin", Map.of("email", "admin@" + subdomain + ".test", "password", PASSWORD)))
                .post("/platform/tenants").then().statusCode(201).extract().path("admin.id");
        String token = TestTokens.sign(TestTokens.claims(subdomain, "admin",
                java.util.Set.of("admin", "governance_admin", "editor", "viewer")).subject(adminId));
        return new TestTenant(subdomain, new TestTenant.Session(subdomain, token, null));
    }

    public static TestTenant newTenant() {
        return newTenant("business_critical");
    }

    public static TestTenant.Session login(String subdomain, String email, String password) {
        Response r = tenant(subdomain).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password)).post("/auth/login");
        r.then().statusCode(200);
        return new TestTenant.Session(subdomain, r.path("access_token"), r.path("refresh_token"));
    }

    /** A session for a role, signed with the test key (no user row behind it unless {@code userId} names one). */
    public static TestTenant.Session minted(String subdomain, String role, String userId) {
        java.util.Set<String> groups = switch (role) {
            case "admin" -> java.util.Set.of("admin", "governance_admin", "editor", "viewer");
            case "governance_admin" -> java.util.Set.of("governance_admin", "editor", "viewer");
            case "editor" -> java.util.Set.of("editor", "viewer");
            default -> java.util.Set.of("viewer");
        };
        String token = TestTokens.sign(TestTokens.claims(subdomain, role, groups).subject(userId));
        return new TestTenant.Session(subdomain, token, null);
    }

    public static String randomId() {
        return UUID.randomUUID().toString();
    }
}
