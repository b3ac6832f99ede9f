package io.rimedata.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * Creates the test database on the machine's PostgreSQL before Quarkus starts, so {@code ./mvnw verify} needs
 * nothing but running PostgreSQL and Redis. Registered for every test class by {@link TestResources}.
 */
public class LocalServices implements QuarkusTestResourceLifecycleManager {

    static final String DATABASE = System.getProperty("rime.test.database", "rime_test");

    @Override
    public Map<String, String> start() {
        String url = System.getProperty("rime.test.admin-jdbc-url", "jdbc:postgresql://127.0.0.1:5432/postgres");
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            try (PreparedStatement q = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                q.setString(1, DATABASE);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        c.createStatement().execute("create database " + DATABASE);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL must run on 127.0.0.1:5432 (see README): " + e.getMessage(), e);
        }
        return Map.of();
    }

    @Override
    public void stop() {
        // the database is kept: every test creates its own tenant, so runs do not interfere
    }
}
