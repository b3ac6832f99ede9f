package io.rimedata.platform.idempotency;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A first response kept for replay: status, JSON body and the headers a client acts on. */
@RegisterForReflection
public record StoredResponse(String fingerprint, int status, String body, String location, String etag) {
}
