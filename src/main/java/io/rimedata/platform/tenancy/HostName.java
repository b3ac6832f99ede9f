package io.rimedata.platform.tenancy;

import java.util.Locale;
import java.util.regex.Pattern;

/** What the {@code Host} of a request addresses under the base domain (§1). */
public sealed interface HostName {

    Pattern LABEL = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /** The bare base domain: the platform operator's host. */
    record Operator() implements HostName {
    }

    /** {@code <subdomain>.<base-domain>}. */
    record TenantHost(String subdomain) implements HostName {
    }

    /** Anything else: another domain, a nested subdomain, an invalid label. */
    record Outside() implements HostName {
    }

    static HostName parse(String host, String baseDomain) {
        if (host == null || host.isEmpty()) {
            return new Outside();
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        String base = baseDomain.toLowerCase(Locale.ROOT);
        if (h.equals(base)) {
            return new Operator();
        }
        if (h.endsWith("." + base)) {
            String label = h.substring(0, h.length() - base.length() - 1);
            if (LABEL.matcher(label).matches()) {
                return new TenantHost(label);
            }
        }
        return new Outside();
    }
}
