package io.rimedata.execution.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.connector.service.ConnectorService;
import io.rimedata.connector.source.PostgresDriver;
import io.rimedata.pipeline.step.CheckSql;
import io.rimedata.platform.error.ApiException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * {@code validate}: SQL checks against PostgreSQL connectors. A check is a probe, not a shell: the connector's login is
 * refused when it is a superuser or may read or write the database server's files or run programs there; the query is
 * linted ({@link CheckSql}), then runs alone as a prepared statement (so it cannot carry a second one), through a
 * cursor that reads one row, in a read-only transaction under a statement timeout. A check passes when its query
 * returns no rows ({@code no_rows}) or some ({@code some_rows}); the step fails if any check fails. A failure is told
 * by its SQLSTATE class only: the source's own error text can quote the data it read, so it never reaches a log.
 * Transformation tests ({@code transformation_id}) run on an external runner.
 */
@ApplicationScoped
public class ValidateExecutor implements StepExecutor {

    private final ConnectorService connectors;
    private final PostgresDriver postgres;
    private final RunnerStepExecutor runner;
    private final ObjectMapper json;

    ValidateExecutor(ConnectorService connectors, PostgresDriver postgres, RunnerStepExecutor runner, ObjectMapper json) {
        this.connectors = connectors;
        this.postgres = postgres;
        this.runner = runner;
        this.json = json;
    }

    @Override
    public Set<String> types() {
        return Set.of("validate");
    }

    private record Result(String name, boolean passed, String message) {
    }

    @Override
    public Uni<StepOutcome> execute(StepTask task) {
        if (!task.config().has("checks")) {
            return runner.execute(task);
        }
        ArrayNode results = json.createArrayNode();
        return Multi.createFrom().iterable(task.config().path("checks"))
                .onItem().transformToUniAndConcatenate(check -> run(task, check)
                        .call(r -> task.report().log((r.passed() ? "PASS " : "FAIL ") + r.name() + ": " + r.message())))
                .collect().asList()
                .map(all -> {
                    all.forEach(r -> results.addObject().put("name", r.name()).put("passed", r.passed()).put("message", r.message()));
                    ObjectNode output = json.createObjectNode().set("checks", results);
                    long failed = all.stream().filter(r -> !r.passed()).count();
                    return failed == 0 ? StepOutcome.success(output)
                            : StepOutcome.failure(failed + " of " + all.size() + " checks failed: " + all.stream()
                                    .filter(r -> !r.passed()).map(Result::name).reduce((a, b) -> a + ", " + b).orElse("")
                                    + ".", output);
                });
    }

    private Uni<Result> run(StepTask task, JsonNode check) {
        String name = check.path("name").asText();
        boolean wantRows = "some_rows".equals(check.path("expect").asText());
        Duration timeout = task.timeout().compareTo(Duration.ofMinutes(5)) > 0 ? Duration.ofMinutes(5) : task.timeout();
        String sql;
        try {
            sql = CheckSql.body(check.path("sql").asText());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(new Result(name, false, "Refused: " + e.getMessage()));
        }
        return connectors.spec(task.tenant(), task.projectId(), UUID.fromString(check.path("connector_id").asText()))
                .chain(spec -> postgres.connect(spec, timeout))
                .onFailure().transform(failure -> new CheckFailed("Could not connect: " + describe(failure, timeout)))
                .chain(connection -> query(connection, sql, timeout)
                        .eventually(() -> connection.close().onFailure().recoverWithNull()))
                .map(found -> switch (found) {
                    case PRIVILEGED -> new Result(name, false, PRIVILEGED_LOGIN);
                    case ROWS, NO_ROWS -> (found == Found.ROWS) == wantRows
                            ? new Result(name, true, found == Found.ROWS ? "Returned rows, as expected." : "Returned no rows, as expected.")
                            : new Result(name, false, found == Found.ROWS ? "Returned rows; expected none." : "Returned no rows; expected some.");
                })
                .onFailure().recoverWithItem(failure -> new Result(name, false, failure instanceof CheckFailed
                        ? failure.getMessage() : "The check failed: " + describe(failure, timeout)));
    }

    static final String PRIVILEGED_LOGIN = "Refused: the connector's login is a superuser or may read or write the "
            + "database server's files or run programs on it; validate checks need a login that can only read the "
            + "checked tables.";

    private enum Found {
        ROWS, NO_ROWS, PRIVILEGED
    }

    /** A failure whose message is already fit for the step log. */
    private static final class CheckFailed extends RuntimeException {
        CheckFailed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * True when the login is a superuser, belongs to a role that reaches the server's files or programs, or may
     * execute one of the functions that read or write server files.
     */
    private static final String PRIVILEGED = """
            select r.rolsuper
                or exists (select 1 from pg_roles d
                           where d.rolname in ('pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program')
                             and pg_has_role(current_user, d.oid, 'MEMBER'))
                or exists (select 1 from unnest(array['pg_read_file(text)', 'pg_read_file(text,bigint,bigint)',
                               'pg_read_file(text,bigint,bigint,boolean)', 'pg_read_binary_file(text)', 'pg_ls_dir(text)',
                               'pg_stat_file(text)', 'lo_import(text)', 'lo_export(oid,text)',
                               'pg_file_write(text,text,boolean)']) as f(signature)
                           where to_regprocedure(f.signature) is not null
                             and has_function_privilege(to_regprocedure(f.signature), 'EXECUTE')) as privileged
            from pg_roles r where r.rolname = current_user""";

    private static Uni<Found> query(PgConnection connection, String sql, Duration timeout) {
        return connection.begin().chain(tx -> connection.query("set transaction read only").execute()
                .chain(() -> connection.query("set local statement_timeout = " + timeout.toMillis()).execute())
                // the lint reads literals as standard strings; make the server read them the same way
                .chain(() -> connection.query("set local standard_conforming_strings = on").execute())
                .chain(() -> connection.query(PRIVILEGED).execute())
                .chain(rows -> !rows.iterator().hasNext() || rows.iterator().next().getBoolean("privileged")
                        ? Uni.createFrom().item(Found.PRIVILEGED)
                        : connection.prepare(sql).chain(statement -> {
                            Cursor cursor = statement.cursor();
                            return cursor.read(1).map(read -> read.size() > 0 ? Found.ROWS : Found.NO_ROWS)
                                    .eventually(() -> cursor.close().onFailure().recoverWithNull())
                                    .eventually(() -> statement.close().onFailure().recoverWithNull());
                        }))
                .eventually(() -> tx.rollback().onFailure().recoverWithNull()));
    }

    /**
     * What went wrong, without the source's own words: its messages can quote the values the query touched (a
     * failed cast names the value), so only the SQLSTATE class is told.
     */
    static String describe(Throwable failure, Duration timeout) {
        if (failure instanceof io.smallrye.mutiny.TimeoutException) {
            return "no answer within " + timeout.toSeconds() + " s.";
        }
        if (failure instanceof ApiException api) {
            return api.getMessage();
        }
        Throwable t = failure;
        while (!(t instanceof PgException) && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().length() == 5) {
            if ("57014".equals(pg.getSqlState())) {
                return "the statement timeout (" + timeout.toSeconds() + " s) cancelled it (SQLSTATE 57014).";
            }
            String sqlClass = pg.getSqlState().substring(0, 2);
            return "SQLSTATE class " + sqlClass + SqlStateClasses.name(sqlClass) + ".";
        }
        return "the source did not answer as expected.";
    }
}
