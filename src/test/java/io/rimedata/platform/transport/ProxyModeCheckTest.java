package io.rimedata.platform.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxyModeCheckTest {

    @Test
    void proxyModeWithoutTrustedProxiesRefusesToStartNamingTheSetting() {
        ConfigurationException refused = assertThrows(ConfigurationException.class,
                () -> new ProxyModeCheck(true, Optional.empty()));
        assertTrue(refused.getMessage().contains("RIME_TRUSTED_PROXIES"), refused.getMessage());
        assertThrows(ConfigurationException.class, () -> new ProxyModeCheck(true, Optional.of(List.of(" ", ""))));
    }

    @Test
    void proxyModeTrustingEveryAddressRefusesToStart() {
        for (String everyone : List.of("0.0.0.0/0", "::/0", "*")) {
            assertTrue(ProxyModeCheck.problem(true, List.of("10.0.0.0/8", everyone)).isPresent(), everyone);
        }
    }

    @Test
    void proxyModeWithTrustedProxiesOrNoProxyModeStarts() {
        new ProxyModeCheck(true, Optional.of(List.of("10.0.0.0/8")));
        new ProxyModeCheck(false, Optional.empty());
        assertEquals(Optional.empty(), ProxyModeCheck.problem(true, List.of("127.0.0.1", "fd00::/8")));
    }
}
