package io.rimedata.platform.transport;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Proxy mode: TLS ends at a proxy on 127.0.0.1, the only address whose X-Forwarded-Proto counts. */
public class TrustedProxyProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.http.proxy.proxy-address-forwarding", "true",
                "quarkus.http.proxy.trusted-proxies", "127.0.0.1");
    }
}
