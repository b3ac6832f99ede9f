package io.rimedata.audit;

import static io.rimedata.audit.AuditFixtures.auditor;
import static io.rimedata.audit.AuditFixtures.entries;
import static io.rimedata.audit.AuditFixtures.outboxRows;
import static io.rimedata.audit.AuditFixtures.provision;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.rimedata.audit.AuditFixtures.Tenant;
import io.rimedata.audit.service.AuditRelay;
import io.rimedata.platform.persistence.UuidV7;
import io.rimedata.support.Api;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Entries committed while no relay runs are kept in the outbox and reach the log when a relay runs again. */
@QuarkusTest
@TestProfile(AuditRelayDisabledProfile.class)
class AuditRelayOutageTest {

    @Inject
    AuditRelay relay;

    @Test
    void entriesWaitInTheOutboxUntilTheRelayRuns() {
        Tenant t = provision();
        String access = Api.login(t.subdomain(), t.adminEmail(), Api.PASSWORD).accessToken();
        Api.tenant(t.subdomain()).header("Authorization", "Bearer " + access).contentType(ContentType.JSON)
                .body(Map.of("name", "While down")).post("/projects").then().statusCode(201);

        // three timer periods pass and nothing moves: the rows wait, the log shows nothing yet
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> outboxRows(t) == 4);
        auditor(t).get("/audit-events").then().statusCode(200).body("data", hasSize(0));

        int moved = relay.drain().await().atMost(Duration.ofSeconds(30));

        assertTrue(moved >= 4, "moved " + moved);
        assertEquals(0, outboxRows(t));
        List<String> actions = entries(t).stream().map(e -> (String) e.get("action")).toList();
        assertEquals(List.of("resource.created", "login.succeeded", "resource.created", "resource.created"), actions,
                "all of them, in the order they were written");
    }

    @Test
    void aFailingEntryIsRetriedThenLeftAsideWithoutHoldingUpTheOthers() {
        Tenant t = provision();
        AuditFixtures.insertOutboxRow(t, UuidV7.next(), "{not json");
        Api.tenant(t.subdomain()).header("Authorization", "Bearer " + AuditFixtures.token(t, "editor"))
                .contentType(ContentType.JSON).body(Map.of("name", "Behind the bad one")).post("/projects")
                .then().statusCode(201);

        relay.drain().await().atMost(Duration.ofSeconds(30));

        List<String> actions = entries(t).stream().map(e -> (String) e.get("action")).toList();
        assertEquals(List.of("resource.created", "resource.created", "resource.created"), actions);
        List<String> left = AuditFixtures.outboxFailures(t);
        assertEquals(1, left.size(), "only the bad entry stays");
        assertTrue(left.get(0).startsWith("10|") && left.get(0).contains("Unreadable audit entry"), left.get(0));
    }
}
