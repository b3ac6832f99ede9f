package io.rimedata.platform.transport;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start in proxy mode without trusted proxies. Quarkus then believes {@code X-Forwarded-*} from every
 * peer, so anyone reaching the plain-HTTP port could claim HTTPS and any client address; failing loudly beats
 * serving like that.
 */
@Startup
@ApplicationScoped
public class ProxyModeCheck {

    private static final List<String> EVERYONE = List.of("0.0.0.0/0", "::/0", "*");

    ProxyModeCheck(@ConfigProperty(name = "quarkus.http.proxy.proxy-address-forwarding", defaultValue = "false")
            boolean forwarding,
            @ConfigProperty(name = "quarkus.http.proxy.trusted-proxies") Optional<List<String>> trustedProxies) {
        problem(forwarding, trustedProxies.orElse(List.of())).ifPresent(message -> {
            throw new ConfigurationException(message);
        });
    }

    /** Why this proxy configuration is unsafe, or empty when it is fine. */
    static Optional<String> problem(boolean forwarding, List<String> trustedProxies) {
        if (!forwarding) {
            return Optional.empty();
        }
        List<String> entries = trustedProxies.stream().map(String::trim).filter(e -> !e.isEmpty()).toList();
        if (entries.isEmpty()) {
            return Optional.of("RIME_PROXY_FORWARDING=true needs RIME_TRUSTED_PROXIES: without it X-Forwarded-Proto and "
                    + "X-Forwarded-For would be believed from any client. Set it to the addresses or CIDRs of the "
                    + "TLS-terminating proxy, or turn proxy mode off.");
        }
        Optional<String> everyone = entries.stream().filter(EVERYONE::contains).findFirst();
        return everyone.map(entry -> "RIME_TRUSTED_PROXIES contains " + entry + ", which trusts every client; "
                + "name the TLS-terminating proxy's addresses or CIDRs instead.");
    }
}
