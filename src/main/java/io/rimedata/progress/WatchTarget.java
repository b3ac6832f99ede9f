package io.rimedata.progress;

import io.rimedata.platform.tenancy.TenantRef;
import java.util.UUID;

/**
 * What a WebSocket watches, as its handshake established it: the tenant, project, the kind of run and its owner
 * (pipeline or connector; null for the project feed), the run, and where the client wants to resume.
 */
public record WatchTarget(TenantRef tenant, UUID projectId, Kind kind, UUID ownerId, UUID runId, Long sinceSeq) {

    public enum Kind {
        PIPELINE_RUN, CONNECTOR_RUN, PROJECT
    }
}
