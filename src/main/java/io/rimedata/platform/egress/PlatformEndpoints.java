package io.rimedata.platform.egress;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The platform's own stores (its PostgreSQL and Redis), which no tenant connection may reach whatever the allow-list
 * says. When a store listens on this machine, its port is refused on every loopback and local interface address too,
 * since a server bound to all interfaces answers on each of them.
 */
public record PlatformEndpoints(Set<Endpoint> endpoints, Set<Integer> localPorts, Set<InetAddress> localAddresses) {

    /** One (address, port) of a platform store. */
    public record Endpoint(InetAddress address, int port) {
    }

    /** A configured store, before resolution: {@code kind} is "database" or "cache". */
    public record Configured(String kind, String host, int port) {
    }

    public static final PlatformEndpoints NONE = new PlatformEndpoints(Set.of(), Set.of(), Set.of());

    private static final Pattern DATASOURCE_KEY = Pattern.compile("quarkus\\.datasource\\.(\"?[^\"]+\"?\\.)?(reactive\\.url|jdbc\\.url)");
    private static final Pattern REDIS_KEY = Pattern.compile("quarkus\\.redis\\.(\"?[^\"]+\"?\\.)?hosts");
    private static final Pattern AUTHORITY = Pattern.compile("^[a-z0-9+:-]*?//(?:[^@/]*@)?([^/?#]*)");

    /** Why connecting to {@code address:port} would reach a platform store, or null. */
    public String refusal(InetAddress address, int port) {
        for (InetAddress candidate : forms(address)) {
            if (endpoints.contains(new Endpoint(candidate, port))) {
                return "is an endpoint of this platform's own database or cache";
            }
            if (localPorts.contains(port) && (candidate.isLoopbackAddress() || candidate.isAnyLocalAddress()
                    || AddressKind.of(candidate) == AddressKind.UNSPECIFIED || localAddresses.contains(candidate))) {
                return "is this server's own machine, on the port of the platform's database or cache";
            }
        }
        return null;
    }

    private static List<InetAddress> forms(InetAddress address) {
        InetAddress carried = AddressKind.embedded(address);
        return carried == null ? List.of(address) : List.of(address, carried);
    }

    /** The stores named by datasource URLs ({@code postgresql://h:p/db}, {@code jdbc:postgresql://h1,h2:p/db}) and Redis hosts. */
    public static List<Configured> configured(Map<String, String> properties) {
        List<Configured> out = new ArrayList<>();
        properties.forEach((key, value) -> {
            if (value == null || value.isBlank()) {
                return;
            }
            boolean database = DATASOURCE_KEY.matcher(key).matches();
            boolean cache = REDIS_KEY.matcher(key).matches();
            if (!database && !cache) {
                return;
            }
            for (String url : value.split(",(?=\\s*[a-z][a-z0-9+:.-]*://)")) {
                Matcher m = AUTHORITY.matcher(url.strip().toLowerCase(Locale.ROOT));
                if (!m.find()) {
                    continue;
                }
                for (String hostPort : m.group(1).split(",")) {
                    addHostPort(out, database ? "database" : "cache", hostPort.strip(), database ? 5432 : 6379);
                }
            }
        });
        return out;
    }

    private static void addHostPort(List<Configured> out, String kind, String hostPort, int defaultPort) {
        if (hostPort.isEmpty()) {
            return;
        }
        String host = hostPort;
        int port = defaultPort;
        int colon = hostPort.lastIndexOf(':');
        int bracket = hostPort.lastIndexOf(']');
        if (colon > bracket && (hostPort.startsWith("[") || hostPort.indexOf(':') == colon)) {
            host = hostPort.substring(0, colon);
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = defaultPort;
            }
        }
        out.add(new Configured(kind, host, port));
    }
}
