package io.rimedata.platform.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rimedata.support.Api;
import io.rimedata.support.RawHttp;
import io.rimedata.support.TestTenant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Behind a TLS-terminating proxy: X-Forwarded-Proto is believed only from the configured proxy address. */
@QuarkusTest
@TestProfile(TrustedProxyProfile.class)
class ProxyModeTest {

    private static TestTenant tenant;

    @BeforeAll
    static void tenant() {
        tenant = Api.newTenant();
    }

    private static Map<String, String> headers(String forwardedProto) {
        return forwardedProto == null
                ? Map.of("Host", tenant.subdomain() + ".localhost")
                : Map.of("Host", tenant.subdomain() + ".localhost", "X-Forwarded-Proto", forwardedProto);
    }

    @Test
    void forwardedHttpsFromTheTrustedProxyIsServed() throws Exception {
        RawHttp.Reply reply = RawHttp.get("127.0.0.1", Api.HTTP_PORT, "/api/v1/auth/jwks", headers("https"));
        assertEquals(200, reply.status(), reply.head());
        assertTrue(reply.body().contains("\"keys\""));
        assertTrue(reply.head().toLowerCase().contains("strict-transport-security: max-age=31536000; includesubdomains"),
                "HTTPS as the proxy reports it gets HSTS: " + reply.head());
    }

    @Test
    void forwardedHttpsFromAnUntrustedAddressIsIgnored() throws Exception {
        RawHttp.Reply reply = RawHttp.get("127.0.0.2", Api.HTTP_PORT, "/api/v1/auth/jwks", headers("https"));
        assertEquals(403, reply.status(), reply.head());
        assertTrue(reply.body().contains("\"code\":\"forbidden\""));
        assertTrue(reply.body().contains("HTTPS is required."));
        assertTrue(!reply.head().toLowerCase().contains("strict-transport-security"), "no HSTS over HTTP: " + reply.head());
        assertTrue(reply.head().toLowerCase().contains("x-content-type-options: nosniff"), reply.head());
    }

    @Test
    void plainHttpFromTheProxyIsRejected() throws Exception {
        RawHttp.Reply reply = RawHttp.get("127.0.0.1", Api.HTTP_PORT, "/api/v1/auth/jwks", headers("http"));
        assertEquals(403, reply.status(), reply.head());
        assertEquals(403, RawHttp.get("127.0.0.1", Api.HTTP_PORT, "/api/v1/auth/jwks", headers(null)).status());
    }
}
