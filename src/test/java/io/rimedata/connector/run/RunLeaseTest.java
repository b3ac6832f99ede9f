package io.rimedata.connector.run;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.rimedata.support.Api;
import io.rimedata.support.CustomerDatabase;
import io.rimedata.support.Envelope;
import io.rimedata.support.TestTenant;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A sync whose replica died (its lease ran out) is ended as failed by another replica's sweep. */
@QuarkusTest
class RunLeaseTest {

    @Test
    void aSyncWhoseReplicaStoppedEndsFailedAndTheConnectorCanSyncAgain() throws Exception {
        TestTenant tenant = Api.newTenant();
        String project = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "leases")).post("/projects")
                .then().statusCode(201).extract().path("id");
        String base = "/projects/" + project + "/connectors";
        String connector = Api.as(tenant.admin()).contentType(ContentType.JSON).body(Map.of("name", "pg", "type", "postgresql",
                "config", CustomerDatabase.config("postgres", "postgres"), "tables", List.of(Map.of("name", "pg_catalog.pg_database"))))
                .post(base).then().statusCode(201).extract().path("id");
        String run = Api.as(tenant.admin()).post(base + "/" + connector + "/sync").then().statusCode(202).extract().path("id");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                !"running".equals(Api.as(tenant.admin()).get(base + "/" + connector + "/runs/" + run).path("status")));

        // a run left behind by a replica that died: still "running", its lease already out
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/"
                + System.getProperty("rime.test.database", "rime_test"), "postgres", "");
                PreparedStatement s = db.prepareStatement("""
                        update connector_runs set status = 'running', finished_at = null, lease_owner = 'replica-that-died',
                        lease_expires_at = now() - interval '1 second' where id = ?::uuid""")) {
            s.setString(1, run);
            assertEquals(1, s.executeUpdate());
        }
        Envelope.assertError(Api.as(tenant.admin()).post(base + "/" + connector + "/sync"), 409, "conflict");
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() ->
                "failed".equals(Api.as(tenant.admin()).get(base + "/" + connector + "/runs/" + run).path("status")));
        Api.as(tenant.admin()).get(base + "/" + connector + "/runs/" + run).then()
                .body("error", equalTo(RunLeases.STOPPED));
        Api.as(tenant.admin()).post(base + "/" + connector + "/sync").then().statusCode(202);
    }
}
