package io.rimedata.connector.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.connector.run.ConnectorTestJobs;
import io.rimedata.connector.source.SourceSpec;
import io.rimedata.execution.RunnerJob;
import io.rimedata.execution.service.RunnerJobs;
import io.rimedata.execution.service.RunnerService;
import io.rimedata.platform.persistence.DatabaseScope;
import io.rimedata.platform.persistence.JsonText;
import io.vertx.mutiny.core.Vertx;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.rimedata.connector.ConnectorConfig;
import io.rimedata.connector.ConnectorSchema;
import io.rimedata.connector.repository.ConnectorSchemaRepository;
import io.rimedata.connector.rest.ConnectorApi;
import io.rimedata.connector.source.ConnectionTest;
import io.rimedata.connector.source.DiscoveredSchema;
import io.rimedata.connector.source.SourceDrivers;
import io.rimedata.connector.file.UploadStore;
import io.rimedata.platform.error.NotFound;
import io.rimedata.platform.error.PayloadTooLarge;
import io.rimedata.platform.error.Unprocessable;
import java.nio.file.Path;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Talks to the source behind a connector: connection tests and schema discovery. No database session is held while
 * the source is contacted; the result is stored afterwards in a transaction of its own.
 */
@ApplicationScoped
public class SourceService {

    private final ConnectorService connectors;
    private final ConnectorSchemaRepository schemas;
    private final SourceDrivers drivers;
    private final ConnectorConfig config;
    private final ObjectMapper json;
    private final UploadStore uploads;
    private final RunnerJobs jobs;
    private final RunnerService runners;
    private final Vertx vertx;
    private final JsonText text;

    SourceService(ConnectorService connectors, ConnectorSchemaRepository schemas, SourceDrivers drivers,
            ConnectorConfig config, ObjectMapper json, UploadStore uploads, RunnerJobs jobs, RunnerService runners, Vertx vertx, JsonText text) {
        this.text = text;
        this.jobs = jobs;
        this.runners = runners;
        this.vertx = vertx;
        this.uploads = uploads;
        this.connectors = connectors;
        this.schemas = schemas;
        this.drivers = drivers;
        this.config = config;
        this.json = json;
    }

    public Uni<ConnectionTest> test(TenantRef tenant, UUID projectId, UUID connectorId) {
        return connectors.spec(tenant, projectId, connectorId).chain(spec -> drivers.reachable(spec.type())
                ? drivers.of(spec.type()).test(spec, config.testTimeout())
                : testOnRunner(tenant, projectId, spec));
    }

    /**
     * A type only external runners reach: the test becomes a {@code connector_test} job, and the answer waits for its
     * result up to the test timeout. Without any registered runner it says so at once.
     */
    private Uni<ConnectionTest> testOnRunner(TenantRef tenant, UUID projectId, SourceSpec spec) {
        long started = System.nanoTime();
        return runners.anyRegistered(tenant).chain(any -> {
            if (!any) {
                return Uni.createFrom().item(allSkipped("A " + spec.type() + " connector is reached by an external runner, "
                        + "and no runner is registered for this tenant (POST /runners).", started));
            }
            ObjectNode payload = json.createObjectNode().put("connector_id", spec.connectorId().toString())
                    .put("project_id", projectId.toString());
            long deadline = started + config.testTimeout().toNanos();
            return DatabaseScope.transaction(tenant, () -> jobs.enqueue(tenant, ConnectorTestJobs.KIND, spec.connectorId(), payload))
                    .chain(jobId -> awaitJob(tenant, jobId, deadline).map(job -> fromRunner(job, jobId, started)));
        });
    }

    private Uni<RunnerJob> awaitJob(TenantRef tenant, UUID jobId, long deadline) {
        return jobs.find(tenant, jobId).chain(job -> {
            boolean ended = job == null || "completed".equals(job.status) || "failed".equals(job.status);
            if (ended || System.nanoTime() >= deadline) {
                return Uni.createFrom().item(job);
            }
            return Uni.createFrom().<Void>emitter(e -> vertx.setTimer(200, id -> e.complete(null)))
                    .chain(() -> awaitJob(tenant, jobId, deadline));
        });
    }

    private ConnectionTest fromRunner(RunnerJob job, UUID jobId, long started) {
        if (job != null && "completed".equals(job.status)) {
            List<ConnectionTest.Check> checks = new ArrayList<>();
            for (JsonNode c : text.read(job.result == null ? "{}" : job.result, JsonNode.class).path("checks")) {
                String status = c.path("status").asText();
                checks.add(new ConnectionTest.Check(c.path("name").asText("reachability"),
                        List.of("passed", "failed", "skipped").contains(status) ? status : "failed", c.path("message").asText("")));
            }
            return ConnectionTest.of(checks.isEmpty() ? List.of(ConnectionTest.Check.failed("reachability",
                    "The runner reported no checks.")) : checks, elapsed(started));
        }
        if (job != null && "failed".equals(job.status)) {
            return ConnectionTest.of(List.of(ConnectionTest.Check.failed("reachability", "The runner failed: " + job.error),
                    ConnectionTest.Check.skipped("authentication", "Not reached."),
                    ConnectionTest.Check.skipped("read_permission", "Not reached.")), elapsed(started));
        }
        return allSkipped("Queued as runner job " + jobId + "; no runner finished it within "
                + config.testTimeout().toSeconds() + " s. Check that a runner is polling.", started);
    }

    private static ConnectionTest allSkipped(String message, long started) {
        return ConnectionTest.of(List.of(ConnectionTest.Check.skipped("reachability", message),
                ConnectionTest.Check.skipped("authentication", message),
                ConnectionTest.Check.skipped("read_permission", message)), elapsed(started));
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Discovers the schema now and keeps it as the connector's current one. */
    public Uni<ConnectorApi.SchemaView> refresh(TenantRef tenant, UUID projectId, UUID connectorId) {
        return connectors.spec(tenant, projectId, connectorId)
                .chain(spec -> drivers.of(spec.type()).discover(spec, config.discoveryTimeout()))
                .chain(discovered -> DatabaseScope.transaction(tenant, () -> store(tenant, projectId, connectorId, discovered)));
    }

    /** Stores the file of a csv or json connector, replacing the previous one. */
    public Uni<UploadStore.Uploaded> upload(TenantRef tenant, UUID projectId, UUID connectorId, Path file, String fileName,
            long size) {
        if (size > config.uploadMaxBytes()) {
            return Uni.createFrom().failure(new PayloadTooLarge("The file is larger than the limit of "
                    + config.uploadMaxBytes() + " bytes."));
        }
        return connectors.spec(tenant, projectId, connectorId).chain(spec -> {
            if (!"csv".equals(spec.type()) && !"json".equals(spec.type())) {
                return Uni.createFrom().failure(new Unprocessable("Files are uploaded to csv and json connectors only."));
            }
            return uploads.save(tenant.id(), connectorId, file, fileName, size);
        });
    }

    @WithSession
    public Uni<ConnectorApi.SchemaView> current(TenantRef tenant, UUID projectId, UUID connectorId) {
        return connectors.requireExists(tenant, projectId, connectorId)
                .chain(() -> schemas.findById(tenant, connectorId))
                .map(schema -> {
                    if (schema == null) {
                        throw new NotFound("No schema has been discovered for connector '" + connectorId
                                + "' yet; POST …/schema/refresh discovers it.");
                    }
                    return view(connectorId, schema);
                });
    }

    private Uni<ConnectorApi.SchemaView> store(TenantRef tenant, UUID projectId, UUID connectorId, DiscoveredSchema discovered) {
        String tables = write(discovered);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return connectors.requireExists(tenant, projectId, connectorId)
                .chain(() -> schemas.findById(tenant, connectorId))
                .chain(existing -> {
                    ConnectorSchema schema = existing != null ? existing : new ConnectorSchema();
                    schema.discoveredAt = now;
                    schema.tables = tables;
                    if (existing != null) {
                        return schemas.flush().replaceWith(schema);
                    }
                    schema.id = connectorId;
                    return schemas.persist(tenant, schema);
                })
                .map(schema -> view(connectorId, schema));
    }

    private ConnectorApi.SchemaView view(UUID connectorId, ConnectorSchema schema) {
        try {
            return new ConnectorApi.SchemaView(connectorId, schema.discoveredAt,
                    json.readValue(schema.tables, DiscoveredSchema.class).tables());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored schema is unreadable", e);
        }
    }

    private String write(DiscoveredSchema schema) {
        try {
            return json.writeValueAsString(schema);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
