package io.rimedata.platform.transport;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.rimedata.support.Api;
import io.rimedata.support.RawHttp;
import io.rimedata.support.TestTenant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server terminates TLS itself: plain HTTP is refused even when it claims to have been forwarded. */
@QuarkusTest
class ServerTlsModeTest {

    @Test
    void plainHttpIsRejectedEvenWithForwardedProto() throws Exception {
        TestTenant t = Api.newTenant();
        Map<String, String> headers = Map.of("Host", t.subdomain() + ".localhost", "X-Forwarded-Proto", "https");
        RawHttp.Reply reply = RawHttp.get("127.0.0.1", Api.HTTP_PORT, "/api/v1/auth/jwks", headers);
        assertEquals(403, reply.status(), reply.head());
    }

    @Test
    void httpsIsServed() {
        TestTenant t = Api.newTenant();
        Api.tenant(t.subdomain()).get("/auth/jwks").then().statusCode(200).body(containsString("rime-test-1"));
    }
}
