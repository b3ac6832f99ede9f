package io.rimedata.platform.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.rimedata.support.Api;
import io.rimedata.support.SecretLeaks;
import io.rimedata.support.TestTenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Secrets written through the API never come back and never reach the logs. Every request of the suite is checked
 * by {@link SecretLeaks}; this class drives the paths that handle secrets and then checks the whole log file.
 */
@QuarkusTest
class SecretLeakScanTest {

    @Test
    void secretsInSettingsAreNeitherReturnedNorLogged() throws Exception {
        TestTenant t = Api.newTenant();
        String password = SecretLeaks.secret("scan-" + Api.randomId());
        String awsSecret = SecretLeaks.secret("aws-" + Api.randomId());
        String id = Api.as(t.admin()).contentType(ContentType.JSON).body(Map.of("name", "scan", "settings", Map.of(
                "snowflake", Map.of("account", "acc", "auth_method", "password", "username", "u", "password", password),
                "aws", Map.of("region", "ap-southeast-2", "access_method", "access_key",
                        "access_key_id", "AKIAABCDEFGHIJKLMNOP", "secret_access_key", awsSecret))))
                .post("/projects").then().statusCode(201).extract().path("id");
        Api.as(t.admin()).get("/projects/" + id).then().statusCode(200);
        Api.as(t.admin()).contentType(ContentType.JSON)
                .body(Map.of("settings", Map.of("snowflake", Map.of("password", SecretLeaks.secret("next-" + password)))))
                .patch("/projects/" + id).then().statusCode(200);
        // a rejected write must not echo the secret in its error either
        Api.as(t.admin()).contentType(ContentType.JSON)
                .body(Map.of("settings", Map.of("snowflake", Map.of("password", password, "colour", "x"))))
                .patch("/projects/" + id).then().statusCode(400);
        Api.tenant(t.subdomain()).contentType(ContentType.JSON)
                .body(Map.of("email", "admin@" + t.subdomain() + ".test", "password", password)).post("/auth/login")
                .then().statusCode(401);
        SecretLeaks.checkLog();
        String log = Files.readString(Path.of("target/quarkus-test.log"));
        assertFalse(log.contains(password) || log.contains(awsSecret), "secrets in the log");
    }
}
