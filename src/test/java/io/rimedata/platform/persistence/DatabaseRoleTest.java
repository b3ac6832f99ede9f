package io.rimedata.platform.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The server's database role is an ordinary one: it is what the server's pool connects as, it is neither superuser
 * nor able to bypass row-level security, and it can neither read the server's files or password hashes nor change
 * the schema or Flyway's history.
 */
@QuarkusTest
class DatabaseRoleTest {

    @Inject
    Pool pool;

    @Test
    void theServerConnectsAsTheApplicationRoleWhichHasNoPrivilegedAttributes() {
        var row = pool.withConnection(c -> c.query("""
                select current_user::text, r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb, r.rolreplication,
                       pg_has_role(current_user, 'pg_read_server_files', 'member'),
                       pg_has_role(current_user, 'pg_write_server_files', 'member'),
                       pg_has_role(current_user, 'pg_execute_server_program', 'member'),
                       pg_has_role(current_user, 'pg_read_all_data', 'member')
                from pg_roles r where r.rolname = current_user""").execute())
                .map(rows -> rows.iterator().next()).await().indefinitely();
        assertEquals("rime_app", row.getString(0));
        for (int i = 1; i <= 9; i++) {
            assertEquals(false, row.getBoolean(i), "privilege column " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "select pg_read_file('/etc/passwd')",
            "select pg_read_binary_file('/etc/hostname')",
            "select * from pg_ls_dir('.')",
            "select rolpassword from pg_authid",
            "copy (select 1) to '/tmp/rime-app-role-probe'",
            "create table rime_app_probe (id int)",
            "select * from flyway_schema_history",
            "delete from flyway_schema_history",
            "drop table projects",
            "alter table projects disable row level security",
            "truncate projects",
            "set role postgres",
            "create role rime_app_probe",
    })
    void theApplicationRoleIsRefused(String sql) throws SQLException {
        try (Connection app = DriverManager.getConnection(RowLevelSecurityTest.URL, "rime_app", "rime-app-local");
                Statement s = app.createStatement()) {
            SQLException refused = assertThrows(SQLException.class, () -> s.execute(sql));
            String state = refused.getSQLState();
            // 42501 insufficient privilege; 42P01/42883 when the object is not even visible to the role
            assertEquals(true, state.equals("42501") || state.equals("42P01") || state.equals("42883"),
                    sql + " → " + state + " " + refused.getMessage());
        }
    }

    @Test
    void theApplicationRoleMayQueryTenantTablesButSeesNoRowsUnscoped() throws SQLException {
        try (Connection app = DriverManager.getConnection(RowLevelSecurityTest.URL, "rime_app", "rime-app-local");
                Statement s = app.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from projects")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "no tenant set, so no rows");
        }
    }
}
