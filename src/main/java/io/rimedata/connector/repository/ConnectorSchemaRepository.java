package io.rimedata.connector.repository;

import io.rimedata.connector.ConnectorSchema;
import io.rimedata.platform.persistence.TenantScopedRepository;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ConnectorSchemaRepository extends TenantScopedRepository<ConnectorSchema> {

    ConnectorSchemaRepository() {
        super(ConnectorSchema.class);
    }
}
