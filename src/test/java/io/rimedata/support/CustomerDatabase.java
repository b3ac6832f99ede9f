package io.rimedata.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The customer's PostgreSQL that connector tests read from: a second server started by
 * {@code deployment/local/test.sh} (never the platform's own, which the egress policy refuses as a source). Its port
 * comes from the system property {@code rime.test.customer-pg-port}; its superuser is {@code postgres}, trust auth.
 */
public final class CustomerDatabase {

    public static final String HOST = "127.0.0.1";

    private CustomerDatabase() {
    }

    public static int port() {
        return Integer.parseInt(System.getProperty("rime.test.customer-pg-port", "55432"));
    }

    /** A superuser JDBC connection to {@code database} on the customer server. */
    public static Connection connect(String database) throws SQLException {
        try {
            return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + port() + "/" + database, "postgres", "");
        } catch (SQLException e) {
            if (!"08001".equals(e.getSQLState()) && !"08004".equals(e.getSQLState())) {
                throw e;
            }
            throw new IllegalStateException("The customer PostgreSQL for connector tests is not running on " + HOST + ":"
                    + port() + ". Run the suite with deployment/local/test.sh, which starts it (or start it with "
                    + "deployment/local/customer-db.sh start and pass -Drime.test.customer-pg-port).", e);
        }
    }

    /** Drops and recreates {@code database} on the customer server. */
    public static void recreate(String database) throws SQLException {
        try (Connection admin = connect("postgres"); Statement s = admin.createStatement()) {
            s.execute("drop database if exists " + database + " with (force)");
            s.execute("create database " + database);
        }
    }

    /** Creates a login role if it does not exist yet (cluster-wide), with no privileges beyond PUBLIC's. */
    public static void role(String name) throws SQLException {
        try (Connection admin = connect("postgres"); Statement s = admin.createStatement()) {
            s.execute("do $$ begin if not exists (select from pg_roles where rolname = '" + name + "') "
                    + "then create role " + name + " login; end if; end $$");
        }
    }

    /** A {@code postgresql} connector config pointing at {@code database} on the customer server. */
    public static Map<String, Object> config(String database, String username) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("host", HOST);
        config.put("port", port());
        config.put("database", database);
        config.put("username", username);
        config.put("password", "any-password");
        config.put("ssl_mode", "disable");
        return config;
    }
}
