package io.rimedata.identity.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rimedata.support.Api;
import io.rimedata.support.Envelope;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(NoOperatorTokenProfile.class)
class NoOperatorTokenTest {

    @Test
    void platformRoutesAreAbsent() {
        Envelope.assertError(Api.operator().get("/platform/tenants"), 404, "resource_not_found");
    }
}
