package io.rimedata.platform.egress;

import io.smallrye.mutiny.Uni;

/** The audit log's side of a refusal; implemented by the audit context, which sits above this one. */
public interface EgressAudit {

    /** Records the refusal on its own; never fails. */
    Uni<Void> refused(EgressOrigin origin, EgressRefused refusal);
}
