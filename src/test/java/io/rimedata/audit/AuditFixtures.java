package io.rimedata.audit;

import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.rimedata.identity.Role;
import io.rimedata.support.Api;
import io.rimedata.support.TestTokens;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Tenants, tokens and direct looks at the audit tables for the audit tests. */
public final class AuditFixtures {

    private static final String JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/"
            + System.getProperty("rime.test.database", "rime_test");

    /** A tenant provisioned by the operator, with what the audit entries should name. */
    public record Tenant(String subdomain, String id, String adminId, String adminEmail, String provisionRequestId) {
    }

    private AuditFixtures() {
    }

    public static Tenant provision() {
        String subdomain = Api.uniqueSubdomain("au");
        String email = "admin@" + subdomain + ".test";
        Response r = Api.operator().contentType(ContentType.JSON)
                .body(Map.of("subdomain", subdomain, "name", "Tenant " + subdomain, "tier", "business_critical",
                        "admin", Map.of("email", email, "first_name", "Ada", "last_name", "Admin", "password", Api.PASSWORD)))
                .post("/platform/tenants");
        r.then().statusCode(201);
        return new Tenant(subdomain, r.path("tenant.id"), r.path("admin.id"), email, r.header("X-Request-Id"));
    }

    /** A signed token of the given role, for a user that never logged in (so no login entry). */
    public static String token(Tenant t, String role) {
        return TestTokens.sign(TestTokens.claims(t.subdomain(), role, Role.parse(role).orElseThrow().groups()));
    }

    public static RequestSpecification as(Tenant t, String token) {
        return Api.tenant(t.subdomain()).header("Authorization", "Bearer " + token);
    }

    /** The audit-events list as a governance admin. */
    public static RequestSpecification auditor(Tenant t) {
        return as(t, token(t, Role.GOVERNANCE_ADMIN_NAME));
    }

    public static List<Map<String, Object>> entries(Tenant t) {
        return auditor(t).queryParam("limit", 100).get("/audit-events").then().statusCode(200).extract().path("data");
    }

    /** Waits for the relay to have moved at least {@code count} entries of the tenant; returns them, newest first. */
    public static List<Map<String, Object>> awaitEntries(Tenant t, int count) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> entries(t).size() >= count);
        return entries(t);
    }

    public static int outboxRows(Tenant t) {
        return count("select count(*) from audit_outbox where tenant_id = ?", t);
    }

    public static int eventRows(Tenant t) {
        return count("select count(*) from audit_events where tenant_id = ?", t);
    }

    /** Every stored byte of the tenant's audit data: outbox payloads and event changes. */
    public static List<String> storedTexts(Tenant t) {
        List<String> texts = new ArrayList<>();
        texts.addAll(strings("select payload from audit_outbox where tenant_id = ?", t));
        texts.addAll(strings("select coalesce(changes, '') || ' ' || coalesce(resource_name, '') from audit_events"
                + " where tenant_id = ?", t));
        return texts;
    }

    /** Writes an outbox row directly, as a bug or a future replica might. */
    public static void insertOutboxRow(Tenant t, UUID id, String payload) {
        try (Connection c = DriverManager.getConnection(JDBC_URL, "postgres", "");
                PreparedStatement q = c.prepareStatement("insert into audit_outbox (id, tenant_id, payload, attempts,"
                        + " created_at, updated_at, version) values (?, ?, ?, 0, now(), now(), 0)")) {
            q.setObject(1, id);
            q.setObject(2, UUID.fromString(t.id()));
            q.setString(3, payload);
            q.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code attempts|last_error} of each outbox row of the tenant. */
    public static List<String> outboxFailures(Tenant t) {
        return strings("select attempts || '|' || coalesce(last_error, '') from audit_outbox where tenant_id = ?", t);
    }

    private static int count(String sql, Tenant t) {
        try (Connection c = DriverManager.getConnection(JDBC_URL, "postgres", "");
                PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, UUID.fromString(t.id()));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> strings(String sql, Tenant t) {
        try (Connection c = DriverManager.getConnection(JDBC_URL, "postgres", "");
                PreparedStatement q = c.prepareStatement(sql)) {
            q.setObject(1, UUID.fromString(t.id()));
            List<String> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
