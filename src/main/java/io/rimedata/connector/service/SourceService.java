package io.rimedata.connector.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.rimedata.connector.ConnectorConfig;
import io.rimedata.connector.ConnectorSchema;
import io.rimedata.connector.repository.ConnectorSchemaRepository;
import io.rimedata.connector.rest.ConnectorApi;
import io.rimedata.connector.source.ConnectionTest;
import io.rimedata.connector.source.DiscoveredSchema;
import io.rimedata.connector.source.SourceDrivers;
import io.rimedata.platform.error.NotFound;
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

    SourceService(ConnectorService connectors, ConnectorSchemaRepository schemas, SourceDrivers drivers,
            ConnectorConfig config, ObjectMapper json) {
        this.connectors = connectors;
        this.schemas = schemas;
        this.drivers = drivers;
        this.config = config;
        this.json = json;
    }

    public Uni<ConnectionTest> test(TenantRef tenant, UUID projectId, UUID connectorId) {
        return connectors.spec(tenant, projectId, connectorId)
                .chain(spec -> drivers.of(spec.type()).test(spec, config.testTimeout()));
    }

    /** Discovers the schema now and keeps it as the connector's current one. */
    public Uni<ConnectorApi.SchemaView> refresh(TenantRef tenant, UUID projectId, UUID connectorId) {
        return connectors.spec(tenant, projectId, connectorId)
                .chain(spec -> drivers.of(spec.type()).discover(spec, config.discoveryTimeout()))
                .chain(discovered -> Panache.withTransaction(() -> store(tenant, projectId, connectorId, discovered)));
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
