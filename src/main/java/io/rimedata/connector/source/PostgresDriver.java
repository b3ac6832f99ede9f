package io.rimedata.connector.source;

import io.rimedata.connector.rest.ConnectorApi;
import io.rimedata.platform.error.ApiException;
import io.rimedata.platform.error.Unprocessable;
import io.rimedata.platform.egress.CheckedTarget;
import io.rimedata.platform.egress.Egress;
import io.rimedata.platform.egress.EgressOrigin;
import io.rimedata.platform.egress.EgressRefused;
import io.smallrye.mutiny.Uni;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.pgclient.SslMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL sources, reached directly with the reactive client: connection tests and schema discovery. Every
 * connection goes to the address the egress policy checked, never to a second lookup of the host name.
 */
@ApplicationScoped
public class PostgresDriver implements SourceDriver {

    private static final String SYSTEM_SCHEMAS = "('pg_catalog', 'information_schema')";

    private final Vertx vertx;
    private final Egress egress;

    PostgresDriver(Vertx vertx, Egress egress) {
        this.vertx = vertx;
        this.egress = egress;
    }

    @Override
    public boolean serves(String type) {
        return "postgresql".equals(type);
    }

    @Override
    public Uni<ConnectionTest> test(SourceSpec spec, Duration timeout) {
        long start = System.nanoTime();
        List<ConnectionTest.Check> checks = new ArrayList<>();
        String host = spec.text("host");
        int port = spec.config().path("port").asInt(5432);
        return check(spec).onItemOrFailure().transformToUni((target, refused) -> {
            if (refused != null) {
                checks.add(ConnectionTest.Check.failed("reachability", refused instanceof EgressRefused r
                        ? "Refused by the egress policy: " + r.reason() : describe(refused, timeout)));
                checks.add(ConnectionTest.Check.skipped("authentication", "Not attempted: the server is unreachable."));
                checks.add(ConnectionTest.Check.skipped("read_permission", "Not attempted: the server is unreachable."));
                return Uni.createFrom().voidItem();
            }
            return testReachable(spec, target, checks, start, timeout);
        }).map(v -> ConnectionTest.of(checks, (System.nanoTime() - start) / 1_000_000));
    }

    private Uni<Void> testReachable(SourceSpec spec, CheckedTarget target, List<ConnectionTest.Check> checks, long start,
            Duration timeout) {
        String host = target.host();
        int port = target.port();
        return reach(target, timeout).chain(reached -> {
            if (reached != null) {
                checks.add(ConnectionTest.Check.failed("reachability", reached));
                checks.add(ConnectionTest.Check.skipped("authentication", "Not attempted: the server is unreachable."));
                checks.add(ConnectionTest.Check.skipped("read_permission", "Not attempted: the server is unreachable."));
                return Uni.createFrom().voidItem();
            }
            checks.add(ConnectionTest.Check.passed("reachability", "Reached " + host + ":" + port + "."));
            return connect(spec, target, remaining(start, timeout)).onItemOrFailure().transformToUni((connection, failure) -> {
                if (failure != null) {
                    checks.add(ConnectionTest.Check.failed("authentication", describe(failure, timeout)));
                    checks.add(ConnectionTest.Check.skipped("read_permission", "Not attempted: the login failed."));
                    return Uni.createFrom().voidItem();
                }
                checks.add(ConnectionTest.Check.passed("authentication", "Logged in as '" + spec.text("username")
                        + "' to database '" + spec.text("database") + "'."));
                return readPermission(connection, spec.tables())
                        .ifNoItem().after(remaining(start, timeout)).fail()
                        .onFailure().recoverWithItem(error -> ConnectionTest.Check.failed("read_permission",
                                describe(error, timeout)))
                        .invoke(checks::add)
                        .onItemOrFailure().call(() -> connection.close())
                        .replaceWithVoid();
            });
        });
    }

    @Override
    public Uni<DiscoveredSchema> discover(SourceSpec spec, Duration timeout) {
        String sql = "select table_schema, table_name, column_name, data_type, udt_name, is_nullable "
                + "from information_schema.columns where table_schema not in " + SYSTEM_SCHEMAS
                + " and table_schema not like 'pg_toast%' order by table_schema, table_name, ordinal_position";
        return connect(spec, timeout).chain(connection -> connection.query(sql).execute()
                .ifNoItem().after(timeout).fail()
                .map(rows -> {
                    Map<String, List<DiscoveredSchema.Column>> tables = new LinkedHashMap<>();
                    for (Row row : rows) {
                        String table = row.getString("table_schema") + "." + row.getString("table_name");
                        String type = "USER-DEFINED".equals(row.getString("data_type")) || "ARRAY".equals(row.getString("data_type"))
                                ? row.getString("udt_name") : row.getString("data_type");
                        tables.computeIfAbsent(table, t -> new ArrayList<>()).add(new DiscoveredSchema.Column(
                                row.getString("column_name"), type, "YES".equals(row.getString("is_nullable"))));
                    }
                    List<DiscoveredSchema.Table> result = new ArrayList<>();
                    tables.forEach((name, columns) -> result.add(new DiscoveredSchema.Table(name, columns)));
                    return new DiscoveredSchema(result);
                })
                .onItemOrFailure().call(() -> connection.close()))
                .onFailure(t -> !(t instanceof ApiException))
                .transform(t -> new Unprocessable("Schema discovery failed: " + describe(t, timeout)));
    }

    /** Null when the TCP port answers, else why not. */
    private Uni<String> reach(CheckedTarget target, Duration timeout) {
        String host = target.host();
        int port = target.port();
        var client = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) timeout.toMillis()));
        return client.connect(port, target.ip())
                .chain(socket -> socket.close().replaceWith((String) null))
                .ifNoItem().after(timeout).fail()
                .onFailure().recoverWithItem(failure -> "Could not reach " + host + ":" + port + ": "
                        + describe(failure, timeout))
                .onTermination().call(client::close);
    }

    /** The connector's host and port, as the egress policy accepts them (else an {@link EgressRefused}). */
    private Uni<CheckedTarget> check(SourceSpec spec) {
        return egress.host(EgressOrigin.of(spec.tenantId(), null, "connector", spec.connectorId(), null), "config.host",
                spec.text("host"), spec.config().path("port").asInt(5432));
    }

    /**
     * A connection to the source described by {@code spec}, for tests, discovery, extraction and validate steps,
     * re-checked against the egress policy each time.
     */
    public Uni<PgConnection> connect(SourceSpec spec, Duration timeout) {
        return check(spec).chain(target -> connect(spec, target, timeout));
    }

    /**
     * To the checked address. (The client then verifies certificates against that address; {@code verify-ca} and
     * {@code verify-full} need a trust store that connectors cannot carry yet, so they fail as they did before.)
     */
    private Uni<PgConnection> connect(SourceSpec spec, CheckedTarget target, Duration timeout) {
        PgConnectOptions options = new PgConnectOptions()
                .setHost(target.ip())
                .setPort(target.port())
                .setDatabase(spec.text("database"))
                .setUser(spec.text("username"))
                .setPassword(spec.secret("password"))
                .setConnectTimeout((int) timeout.toMillis())
                .setSslMode(sslMode(spec.text("ssl_mode")));
        if (options.getSslMode() == SslMode.REQUIRE || options.getSslMode() == SslMode.PREFER
                || options.getSslMode() == SslMode.ALLOW) {
            // libpq semantics: these modes encrypt without verifying the certificate
            options.setTrustAll(true);
        }
        return PgConnection.connect(vertx, options).ifNoItem().after(timeout).fail();
    }

    private static Uni<ConnectionTest.Check> readPermission(PgConnection connection, List<ConnectorApi.TableSelection> tables) {
        if (tables.isEmpty()) {
            String sql = "select count(*) filter (where has_table_privilege(c.oid, 'SELECT')) as readable, count(*) as total "
                    + "from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'v', 'm', 'p') "
                    + "and n.nspname not in " + SYSTEM_SCHEMAS + " and n.nspname not like 'pg_toast%'";
            return connection.query(sql).execute().map(rows -> {
                Row row = rows.iterator().next();
                long readable = row.getLong("readable");
                long total = row.getLong("total");
                return total > 0 && readable == 0
                        ? ConnectionTest.Check.failed("read_permission", "None of the " + total + " tables can be read.")
                        : ConnectionTest.Check.passed("read_permission", "Can read " + readable + " of " + total + " tables.");
            });
        }
        List<String> names = tables.stream().map(ConnectorApi.TableSelection::name).toList();
        // the catalogs are readable by every role, unlike to_regclass on a schema without USAGE
        String[] schemas = names.stream().map(n -> n.contains(".") ? n.substring(0, n.indexOf('.')) : "public").toArray(String[]::new);
        String[] relations = names.stream().map(n -> n.substring(n.indexOf('.') + 1)).toArray(String[]::new);
        String sql = "select s.schema || '.' || s.rel as name, c.oid is not null as present, "
                + "case when c.oid is null then false "
                + "else has_schema_privilege(n.oid, 'USAGE') and has_table_privilege(c.oid, 'SELECT') end as readable "
                + "from unnest($1::text[], $2::text[]) as s(schema, rel) "
                + "left join pg_namespace n on n.nspname = s.schema "
                + "left join pg_class c on c.relnamespace = n.oid and c.relname = s.rel";
        return connection.preparedQuery(sql).execute(Tuple.of(schemas, relations)).map(rows -> {
            List<String> missing = new ArrayList<>();
            List<String> denied = new ArrayList<>();
            for (Row row : rows) {
                if (!row.getBoolean("present")) {
                    missing.add(row.getString("name"));
                } else if (!row.getBoolean("readable")) {
                    denied.add(row.getString("name"));
                }
            }
            if (missing.isEmpty() && denied.isEmpty()) {
                return ConnectionTest.Check.passed("read_permission", "Can read all " + names.size() + " selected tables.");
            }
            StringBuilder message = new StringBuilder();
            if (!missing.isEmpty()) {
                message.append("Not found: ").append(String.join(", ", missing)).append(". ");
            }
            if (!denied.isEmpty()) {
                message.append("No SELECT permission on: ").append(String.join(", ", denied)).append('.');
            }
            return ConnectionTest.Check.failed("read_permission", message.toString().trim());
        });
    }

    private static SslMode sslMode(String mode) {
        return switch (mode == null ? "prefer" : mode) {
            case "disable" -> SslMode.DISABLE;
            case "allow" -> SslMode.ALLOW;
            case "require" -> SslMode.REQUIRE;
            case "verify-ca" -> SslMode.VERIFY_CA;
            case "verify-full" -> SslMode.VERIFY_FULL;
            default -> SslMode.PREFER;
        };
    }

    private static Duration remaining(long start, Duration timeout) {
        long left = timeout.toNanos() - (System.nanoTime() - start);
        return Duration.ofNanos(Math.max(left, 1_000_000));
    }

    /** A message for people: the server's own words for PostgreSQL errors, never a stack trace. */
    public static String describe(Throwable failure, Duration timeout) {
        if (failure instanceof EgressRefused refused) {
            return "Refused by the egress policy: " + refused.reason();
        }
        if (failure instanceof io.smallrye.mutiny.TimeoutException) {
            return "No answer within " + timeout.toSeconds() + " s.";
        }
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            if (t instanceof PgException) {
                break;
            }
            t = t.getCause();
        }
        if (t instanceof PgException pg) {
            return pg.getErrorMessage() + " (SQLSTATE " + pg.getSqlState() + ").";
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.endsWith(".") ? message : message + ".";
    }
}
