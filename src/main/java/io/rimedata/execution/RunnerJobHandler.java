package io.rimedata.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.platform.tenancy.TenantRef;
import io.smallrye.mutiny.Uni;

/**
 * What a context does with its kind of runner job: the payload a runner receives on lease (secrets opened only then),
 * and what a completion or failure means. Called inside the runner API's transaction.
 */
public interface RunnerJobHandler {

    String kind();

    Uni<ObjectNode> leasePayload(TenantRef tenant, RunnerJob job);

    Uni<Void> completed(TenantRef tenant, RunnerJob job, JsonNode result);

    Uni<Void> failed(TenantRef tenant, RunnerJob job, String error);

    /** After the transaction that completed or failed the job has committed (its own transactions, if any). */
    default Uni<Void> afterCommit(TenantRef tenant, RunnerJob job) {
        return Uni.createFrom().voidItem();
    }
}
