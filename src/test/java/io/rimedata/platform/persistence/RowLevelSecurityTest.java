package io.rimedata.platform.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.rimedata.platform.background.Background;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's row-level security as the second wall between tenants: a session that does not name its tenant sees
 * and writes nothing tenant-owned, one that names tenant A sees and writes only A's rows, whatever the query says.
 * Runs as the application role, both through the server's own pool and over JDBC with that role's credentials.
 */
@QuarkusTest
class RowLevelSecurityTest {

    static final String URL = "jdbc:postgresql://127.0.0.1:5432/" + System.getProperty("rime.test.database", "rime_test");

    @Inject
    Pool pool;

    @Inject
    Background background;

    UUID tenantA;
    UUID tenantB;
    UUID projectA;
    UUID projectB;

    @BeforeEach
    void twoTenantsWithAProjectEach() throws SQLException {
        tenantA = UuidV7.next();
        tenantB = UuidV7.next();
        projectA = UuidV7.next();
        projectB = UuidV7.next();
        try (Connection db = DriverManager.getConnection(URL, "postgres", "")) {
            for (UUID[] t : new UUID[][] {{tenantA, projectA}, {tenantB, projectB}}) {
                try (PreparedStatement s = db.prepareStatement("insert into tenants (id, subdomain, name, tier,"
                        + " default_timezone, status, created_at, updated_at) values (?, ?, 'RLS', 'free', 'UTC', 'active', now(), now())")) {
                    s.setObject(1, t[0]);
                    s.setString(2, "rls-" + t[0].toString().substring(24));
                    s.executeUpdate();
                }
                try (PreparedStatement s = db.prepareStatement("insert into projects (id, tenant_id, name, settings,"
                        + " created_at, updated_at) values (?, ?, 'p', '{}', now(), now())")) {
                    s.setObject(1, t[1]);
                    s.setObject(2, t[0]);
                    s.executeUpdate();
                }
            }
        }
    }

    @Test
    void everyTableWithATenantColumnHasForcedRowLevelSecurityAndAPolicy() throws SQLException {
        List<String> unprotected = new ArrayList<>();
        int tables = 0;
        try (Connection db = DriverManager.getConnection(URL, "postgres", "");
                ResultSet rs = db.createStatement().executeQuery("""
                        select c.relname, c.relrowsecurity, c.relforcerowsecurity,
                               (select count(*) from pg_policies p where p.schemaname = n.nspname and p.tablename = c.relname
                                  and p.qual like '%rime_current_tenant()%' and p.with_check like '%rime_current_tenant()%')
                        from pg_class c
                        join pg_namespace n on n.oid = c.relnamespace
                        join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
                        where n.nspname = current_schema() and c.relkind in ('r', 'p')""")) {
            while (rs.next()) {
                tables++;
                if (!rs.getBoolean(2) || !rs.getBoolean(3) || rs.getLong(4) == 0) {
                    unprotected.add(rs.getString(1));
                }
            }
        }
        assertTrue(tables >= 20, "found only " + tables + " tenant-owned tables");
        assertEquals(List.of(), unprotected, "tables with tenant_id but without the tenant policy"
                + " (call rime_isolate_tenant_table in the migration that creates them)");
    }

    @Test
    void theServersPoolSeesNoTenantRowsWithoutATenant() {
        long visible = pool.withConnection(c -> c.preparedQuery("select count(*) from projects where id in ($1, $2)")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(projectA, projectB)))
                .map(rows -> rows.iterator().next().getLong(0)).await().indefinitely();
        assertEquals(0, visible);
    }

    @Test
    void aSessionScopedToATenantSeesOnlyThatTenantsRows() {
        String ids = "('" + projectA + "', '" + projectB + "')";
        assertEquals(List.of(projectA), projectIds(() -> DatabaseScope.forTenant(ref(tenantA), () -> ids(ids))));
        assertEquals(List.of(projectB), projectIds(() -> DatabaseScope.forTenant(ref(tenantB), () -> ids(ids))));
        assertEquals(List.of(), projectIds(() -> ids(ids)));
        assertEquals(2, projectIds(() -> DatabaseScope.forPlatform(() -> ids(ids))).size());
    }

    @Test
    void theApplicationRoleWithoutATenantReadsNothingAndCannotWriteAnotherTenantsRows() throws SQLException {
        try (Connection app = DriverManager.getConnection(URL, "rime_app", "rime-app-local"); Statement s = app.createStatement()) {
            assertEquals(0, count(s, "select count(*) from projects where id in ('" + projectA + "', '" + projectB + "')"));
            assertEquals(0, s.executeUpdate("update projects set name = 'taken' where id = '" + projectB + "'"));
            assertEquals(0, s.executeUpdate("delete from projects where id = '" + projectB + "'"));

            s.execute("select set_config('rime.tenant', '" + tenantA + "', false)");
            assertEquals(1, count(s, "select count(*) from projects where id in ('" + projectA + "', '" + projectB + "')"));
            assertEquals(0, s.executeUpdate("update projects set name = 'taken' where id = '" + projectB + "'"));
            SQLException foreignInsert = assertThrows(SQLException.class, () -> s.executeUpdate("insert into projects"
                    + " (id, tenant_id, name, settings, created_at, updated_at) values ('" + UuidV7.next() + "', '" + tenantB
                    + "', 'planted', '{}', now(), now())"));
            assertEquals("42501", foreignInsert.getSQLState(), foreignInsert.getMessage());
            SQLException moveAway = assertThrows(SQLException.class, () -> s.executeUpdate(
                    "update projects set tenant_id = '" + tenantB + "' where id = '" + projectA + "'"));
            assertEquals("42501", moveAway.getSQLState(), moveAway.getMessage());
        }
        try (Connection db = DriverManager.getConnection(URL, "postgres", "");
                Statement s = db.createStatement()) {
            assertEquals(1, count(s, "select count(*) from projects where id = '" + projectB + "' and name = 'p'"));
        }
    }

    private Uni<List<UUID>> ids(String ids) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                "select id from projects where id in " + ids + " order by id", UUID.class).getResultList()));
    }

    /** On a fresh context of its own, as the server's background work runs. */
    private List<UUID> projectIds(Supplier<Uni<List<UUID>>> query) {
        return background.detached(query).await().indefinitely();
    }

    private static TenantRef ref(UUID tenant) {
        return new TenantRef(tenant, "rls", "free");
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
