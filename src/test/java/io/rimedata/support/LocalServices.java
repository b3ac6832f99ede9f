package io.rimedata.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * Creates the platform's two roles (deployment/local/roles.sql) and the test database, owned by the migration role,
 * on the machine's PostgreSQL before Quarkus starts, so {@code ./mvnw verify} needs nothing but running PostgreSQL and
 * Redis. A test database left by an older run under another owner is recreated. Registered for every test class by
 * {@link TestResources}.
 */
public class LocalServices implements QuarkusTestResourceLifecycleManager {

    static final String DATABASE = System.getProperty("rime.test.database", "rime_test");
    static final String OWNER = "rime_owner";

    @Override
    public Map<String, String> start() {
        String url = System.getProperty("rime.test.admin-jdbc-url", "jdbc:postgresql://127.0.0.1:5432/postgres");
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            c.createStatement().execute(Files.readString(Path.of("deployment/local/roles.sql")));
            String owner = null;
            try (PreparedStatement q = c.prepareStatement(
                    "select pg_get_userbyid(datdba) from pg_database where datname = ?")) {
                q.setString(1, DATABASE);
                try (ResultSet rs = q.executeQuery()) {
                    owner = rs.next() ? rs.getString(1) : null;
                }
            }
            if (owner != null && !owner.equals(OWNER)) {
                c.createStatement().execute("drop database " + DATABASE + " with (force)");
                owner = null;
            }
            if (owner == null) {
                c.createStatement().execute("create database " + DATABASE + " owner " + OWNER);
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("PostgreSQL must run on 127.0.0.1:5432 (see README): " + e.getMessage(), e);
        }
        return Map.of();
    }

    @Override
    public void stop() {
        // the database is kept: every test creates its own tenant, so runs do not interfere
    }
}
