package io.rimedata.platform.egress;

import io.smallrye.mutiny.Uni;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The decision behind every outbound connection a tenant can point the server at: resolve the host once, check every
 * address it resolves to, hand back the address to connect to. Refused: the platform's own stores (always), and any
 * address that is not public unless an allow-list entry covers it. Free of CDI so that it is tested with any resolver.
 */
public final class EgressPolicy {

    private final List<AllowRule> allow;
    private final Supplier<Uni<PlatformEndpoints>> platform;
    private final EgressResolver resolver;
    private final Duration resolveTimeout;

    public EgressPolicy(List<AllowRule> allow, Supplier<Uni<PlatformEndpoints>> platform, EgressResolver resolver,
            Duration resolveTimeout) {
        this.allow = List.copyOf(allow);
        this.platform = platform;
        this.resolver = resolver;
        this.resolveTimeout = resolveTimeout;
    }

    /** Checks {@code host:port} before connecting; fails with {@link EgressRefused} naming {@code field}. */
    public Uni<CheckedTarget> host(String field, String host, int port) {
        return check(field, host, port, false);
    }

    /**
     * Checks {@code host:port} when it is written (a create or update): like {@link #host}, except that a name which does
     * not resolve yet passes, since nothing can be said of its addresses; every use checks it again.
     */
    public Uni<Void> admitHost(String field, String host, int port) {
        return check(field, host, port, true).replaceWithVoid();
    }

    /** {@link #url} for a URL being written: a host name that does not resolve yet passes (see {@link #admitHost}). */
    public Uni<Void> admitUrl(String field, String url) {
        return url(field, url, true).replaceWithVoid();
    }

    private Uni<CheckedTarget> check(String field, String host, int port, boolean unresolvedPasses) {
        String shown = (host == null ? "" : host) + ":" + port;
        String name;
        Optional<InetAddress> literal;
        try {
            name = HostNames.normalise(host);
            literal = HostNames.literal(name);
            if (literal.isEmpty() && !HostNames.isName(name)) {
                throw new IllegalArgumentException("is not a valid host name");
            }
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new EgressRefused(field, shown, quote(host) + " " + e.getMessage() + "."));
        }
        if (port < 1 || port > 65535) {
            return Uni.createFrom().failure(new EgressRefused(field, shown, "Port " + port + " is not a valid port."));
        }
        Uni<List<InetAddress>> addresses = literal.isPresent() ? Uni.createFrom().item(List.of(literal.get()))
                : HostNames.isLocalhost(name) ? Uni.createFrom().item(HostNames.loopbacks())
                : Uni.createFrom().deferred(() -> resolver.resolve(name)).ifNoItem().after(resolveTimeout).fail()
                        .onFailure().recoverWithItem(List.of());
        return addresses.chain(found -> {
            if (found.isEmpty() && unresolvedPasses) {
                return Uni.createFrom().nullItem();
            }
            return platform.get().map(stores -> decide(field, host, name, port, found, stores));
        });
    }

    /** Checks an http(s) URL; the request is then built from the result, never from the URL text again. */
    public Uni<CheckedUrl> url(String field, String url) {
        return url(field, url, false);
    }

    private Uni<CheckedUrl> url(String field, String url, boolean unresolvedPasses) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            return Uni.createFrom().failure(new EgressRefused(field, "", "The URL is not valid."));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Uni.createFrom().failure(new EgressRefused(field, "", "Only http and https URLs are supported."));
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Uni.createFrom().failure(new EgressRefused(field, scheme + "://", "The URL has no valid host."));
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String requestUri = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return check(field, host, port, unresolvedPasses).onFailure(EgressRefused.class)
                .transform(f -> {
                    EgressRefused r = (EgressRefused) f;
                    return new EgressRefused(field, scheme + "://" + host + ":" + port, r.reason());
                })
                .map(target -> target == null ? null : new CheckedUrl(url, scheme, host, port, requestUri, target));
    }

    /**
     * Checks a name that will be looked up elsewhere (a DNS SRV name a runner expands): refused when it spells a
     * non-public address or a localhost name; other names pass without a lookup here.
     */
    public Uni<Void> nameOnly(String field, String host) {
        String name;
        try {
            name = HostNames.normalise(host);
            Optional<InetAddress> literal = HostNames.literal(name);
            if (literal.isPresent()) {
                return host(field, host, 443).replaceWithVoid();
            }
            if (!HostNames.isName(name)) {
                throw new IllegalArgumentException("is not a valid host name");
            }
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new EgressRefused(field, String.valueOf(host), quote(host) + " " + e.getMessage() + "."));
        }
        if (HostNames.isLocalhost(name)) {
            return host(field, host, 443).replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }

    private CheckedTarget decide(String field, String host, String name, int port, List<InetAddress> found,
            PlatformEndpoints stores) {
        String shown = host + ":" + port;
        if (found.isEmpty()) {
            throw new EgressRefused(field, shown, quote(host) + " does not resolve.");
        }
        for (InetAddress address : found) {
            String refusal = refusal(address, port, stores);
            if (refusal != null) {
                throw new EgressRefused(field, shown, quote(host) + " resolves to " + refusal + ".");
            }
        }
        return new CheckedTarget(name, found.get(0), port);
    }

    /** What makes {@code address:port} unreachable for tenants, or null when it is reachable. */
    String refusal(InetAddress address, int port, PlatformEndpoints stores) {
        String ip = address.getHostAddress();
        String platformReason = stores.refusal(address, port);
        if (platformReason != null) {
            return ip + " port " + port + ", which " + platformReason + "; tenants' connections never reach it";
        }
        AddressKind kind = AddressKind.of(address);
        if (kind == AddressKind.PUBLIC || allow.stream().anyMatch(rule -> rule.allows(address, port))) {
            return null;
        }
        return kind.description + " " + ip + ", which this server does not connect to";
    }

    private static String quote(String host) {
        return "'" + host + "'";
    }
}
