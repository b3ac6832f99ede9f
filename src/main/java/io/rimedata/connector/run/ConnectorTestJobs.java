package io.rimedata.connector.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.connector.service.ConnectorService;
import io.rimedata.execution.RunnerJob;
import io.rimedata.execution.RunnerJobHandler;
import io.rimedata.platform.persistence.JsonText;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Connection tests of types only an external runner reaches. The caller waits for the job's result itself (it
 * stays on the job row), so completion and failure need nothing more here.
 */
@ApplicationScoped
public class ConnectorTestJobs implements RunnerJobHandler {

    public static final String KIND = "connector_test";

    private final ConnectorService connectors;
    private final RunnerPayloads payloads;
    private final JsonText text;

    ConnectorTestJobs(ConnectorService connectors, RunnerPayloads payloads, JsonText text) {
        this.connectors = connectors;
        this.payloads = payloads;
        this.text = text;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Uni<ObjectNode> leasePayload(TenantRef tenant, RunnerJob job) {
        ObjectNode stored = text.read(job.payload, ObjectNode.class);
        return connectors.spec(tenant, UUID.fromString(stored.path("project_id").asText()), job.subjectId)
                .map(spec -> payloads.describe(spec, stored));
    }

    @Override
    public Uni<Void> completed(TenantRef tenant, RunnerJob job, JsonNode result) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> failed(TenantRef tenant, RunnerJob job, String error) {
        return Uni.createFrom().voidItem();
    }
}
