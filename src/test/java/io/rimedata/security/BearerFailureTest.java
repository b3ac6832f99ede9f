package io.rimedata.security;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import io.rimedata.support.TestTokens;
import io.rimedata.support.WsClient;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A refused bearer token is a 401 envelope with an RFC 6750 challenge on REST and WebSocket handshakes alike, and
 * says whether the token merely expired; a request without credentials gets a challenge without an error code.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BearerFailureTest {

    private static final String EXPIRED = "Bearer realm=\"rime\", error=\"invalid_token\", "
            + "error_description=\"The access token expired\"";
    private static final String INVALID = "Bearer realm=\"rime\", error=\"invalid_token\", "
            + "error_description=\"The access token is invalid\"";
    private static final String NO_CREDENTIALS = "Bearer realm=\"rime\"";
    private static final Set<String> ADMIN = Set.of("admin", "governance_admin", "editor", "viewer");

    private TestTenant tenant;
    private String projectId;

    @BeforeAll
    void createTenant() {
        tenant = Api.newTenantWithoutLogin();
        projectId = Api.as(tenant.admin()).contentType("application/json").body("{\"name\":\"watched\"}")
                .post("/projects").then().statusCode(201).extract().path("id");
    }

    Stream<Arguments> refusedTokens() throws Exception {
        Instant now = Instant.now();
        String expired = TestTokens.sign(TestTokens.claims(tenant.subdomain(), "admin", ADMIN)
                .issuedAt(now.minusSeconds(7200)).expiresAt(now.minusSeconds(3600)));
        String valid = tenant.admin().accessToken();
        String[] parts = valid.split("\\.");
        String otherClaims = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("\"admin\"", "\"admim\"").getBytes(StandardCharsets.UTF_8));
        String tampered = parts[0] + "." + otherClaims + "." + parts[2];
        String otherTenant = TestTokens.sign(TestTokens.claims(Api.uniqueSubdomain("elsewhere"), "admin", ADMIN));
        String expiredAndForeignKey = TestTokens.signWithForeignKey(TestTokens.claims(tenant.subdomain(), "admin", ADMIN)
                .issuedAt(now.minusSeconds(7200)).expiresAt(now.minusSeconds(3600)));
        return Stream.of(
                Arguments.of("expired", expired, EXPIRED),
                Arguments.of("tampered", tampered, INVALID),
                Arguments.of("garbage", "garbage", INVALID),
                Arguments.of("three garbage parts", "a.b.c", INVALID),
                Arguments.of("other tenant's", otherTenant, INVALID),
                Arguments.of("expired and signed with an unknown key", expiredAndForeignKey, INVALID),
                Arguments.of("unknown API key", "rk_" + "x".repeat(40), INVALID));
    }

    @ParameterizedTest(name = "{0} token")
    @MethodSource("refusedTokens")
    void restAnswersARefusedTokenWithTheInvalidTokenChallenge(String kind, String token, String challenge) {
        Envelope.assertError(Api.tenant(tenant.subdomain()).header("Authorization", "Bearer " + token).get("/projects"),
                401, "unauthorized").header("WWW-Authenticate", equalTo(challenge));
    }

    @ParameterizedTest(name = "{0} token")
    @MethodSource("refusedTokens")
    void webSocketHandshakeAnswersARefusedTokenWith401AndLogsNoError(String kind, String token, String challenge)
            throws Exception {
        long logStart = logLength();
        for (String path : List.of("/projects/" + projectId + "/events",
                "/projects/" + projectId + "/pipelines/" + Api.randomId() + "/runs/" + Api.randomId() + "/progress")) {
            WsClient.Refusal refusal = WsClient.refused(tenant.subdomain(), path, token, null);
            assertEquals(401, refusal.status(), kind + " " + path + ": " + refusal.body());
            assertEquals("unauthorized", refusal.body().getJsonObject("error").getString("code"));
            assertTrue(refusal.body().getJsonObject("error").getString("request_id").startsWith("req_"));
            assertEquals(challenge, refusal.wwwAuthenticate());
        }
        List<String> errors = logLinesSince(logStart).stream()
                .filter(line -> line.contains(" ERROR ") || line.startsWith("\tat ") || line.contains("Exception"))
                .toList();
        assertEquals(List.of(), errors);
    }

    @Test
    void requestWithoutCredentialsGetsAChallengeWithoutAnErrorCode() throws Exception {
        Envelope.assertError(Api.tenant(tenant.subdomain()).get("/projects"), 401, "unauthorized")
                .header("WWW-Authenticate", equalTo(NO_CREDENTIALS));
        WsClient.Refusal refusal = WsClient.refused(tenant.subdomain(), "/projects/" + projectId + "/events", null, null);
        assertEquals(401, refusal.status());
        assertEquals(NO_CREDENTIALS, refusal.wwwAuthenticate());
    }

    @Test
    void revokedSessionIsToldItsTokenWasRevoked() {
        TestTenant.Session session = Api.login(tenant.subdomain(), "admin@" + tenant.subdomain() + ".test", Api.PASSWORD);
        Api.as(session).post("/auth/logout").then().statusCode(204);
        Envelope.assertError(Api.as(session).get("/projects"), 401, "unauthorized")
                .header("WWW-Authenticate", equalTo("Bearer realm=\"rime\", error=\"invalid_token\", "
                        + "error_description=\"The access token was revoked\""));
    }

    private static long logLength() throws Exception {
        try (RandomAccessFile file = new RandomAccessFile("target/quarkus-test.log", "r")) {
            return file.length();
        }
    }

    private static List<String> logLinesSince(long offset) throws Exception {
        try (RandomAccessFile file = new RandomAccessFile("target/quarkus-test.log", "r")) {
            if (file.length() < offset) {
                return List.of();
            }
            file.seek(offset);
            byte[] fresh = new byte[(int) (file.length() - offset)];
            file.readFully(fresh);
            return new ArrayList<>(List.of(new String(fresh, StandardCharsets.UTF_8).split("\n")));
        }
    }
}
