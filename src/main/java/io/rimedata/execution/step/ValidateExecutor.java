package io.rimedata.execution.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.connector.service.ConnectorService;
import io.rimedata.connector.source.PostgresDriver;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.pgclient.PgConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * {@code validate}: SQL checks against PostgreSQL connectors, each in a read-only transaction under a statement
 * timeout, sent as one prepared statement (so a check cannot smuggle a second statement). A check passes when its
 * query returns no rows ({@code no_rows}) or some ({@code some_rows}); the step fails if any check fails.
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
        String sql = check.path("sql").asText().strip().replaceAll(";+\\s*$", "");
        return connectors.spec(task.tenant(), task.projectId(), UUID.fromString(check.path("connector_id").asText()))
                .chain(spec -> postgres.connect(spec, timeout))
                .chain(connection -> query(connection, sql, timeout)
                        .eventually(() -> connection.close().onFailure().recoverWithNull()))
                .map(hasRows -> hasRows == wantRows
                        ? new Result(name, true, hasRows ? "Returned rows, as expected." : "Returned no rows, as expected.")
                        : new Result(name, false, hasRows ? "Returned rows; expected none." : "Returned no rows; expected some."))
                .onFailure().recoverWithItem(failure -> new Result(name, false,
                        "Could not run: " + PostgresDriver.describe(failure, timeout)));
    }

    private static Uni<Boolean> query(PgConnection connection, String sql, Duration timeout) {
        return connection.begin().chain(tx -> connection.query("set transaction read only").execute()
                .chain(() -> connection.query("set local statement_timeout = " + timeout.toMillis()).execute())
                .chain(() -> connection.preparedQuery("select exists (" + sql + ") as found").execute())
                .map(rows -> rows.iterator().next().getBoolean("found"))
                .eventually(() -> tx.rollback().onFailure().recoverWithNull()));
    }
}
