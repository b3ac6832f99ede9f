package io.rimedata.platform.egress;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The one gate of outbound connections a tenant can influence: connector hosts, REST source URLs and their
 * pagination links, OAuth token URLs, webhook URLs. Callers connect to the address this hands back. Refusals are
 * audited through {@link EgressAudit}.
 */
@ApplicationScoped
public class Egress {

    private static final Logger LOG = Logger.getLogger(Egress.class);

    private record Snapshot(long at, PlatformEndpoints endpoints) {
    }

    private final EgressConfig config;
    private final EgressResolver resolver;
    private final Instance<EgressAudit> audit;
    private final Vertx vertx;
    private final List<PlatformEndpoints.Configured> stores;
    private final EgressPolicy policy;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();

    Egress(EgressConfig config, EgressResolver resolver, Instance<EgressAudit> audit, Vertx vertx, Config mp) {
        this.config = config;
        this.resolver = resolver;
        this.audit = audit;
        this.vertx = vertx;
        Map<String, String> properties = new HashMap<>();
        for (String name : mp.getPropertyNames()) {
            if (name.startsWith("quarkus.datasource") || name.startsWith("quarkus.redis")) {
                mp.getOptionalValue(name, String.class).ifPresent(v -> properties.put(name, v));
            }
        }
        this.stores = PlatformEndpoints.configured(properties);
        this.policy = new EgressPolicy(config.allow().orElse(List.of()).stream().filter(s -> !s.isBlank())
                .map(AllowRule::parse).toList(), this::platform, resolver, config.resolveTimeout());
    }

    public EgressConfig config() {
        return config;
    }

    /** Checks {@code host:port} for {@code field} (e.g. {@code config.host}). */
    public Uni<CheckedTarget> host(EgressOrigin origin, String field, String host, int port) {
        return audited(origin, policy.host(field, host, port));
    }

    /** Checks an http(s) URL for {@code field} (e.g. {@code steps[2].config.url}). */
    public Uni<CheckedUrl> url(EgressOrigin origin, String field, String url) {
        return audited(origin, policy.url(field, url));
    }

    /** Checks {@code host:port} as it is written: a name that does not resolve yet passes (every use checks again). */
    public Uni<Void> admitHost(EgressOrigin origin, String field, String host, int port) {
        return audited(origin, policy.admitHost(field, host, port));
    }

    /** Checks a URL as it is written: a host name that does not resolve yet passes (every use checks again). */
    public Uni<Void> admitUrl(EgressOrigin origin, String field, String url) {
        return audited(origin, policy.admitUrl(field, url));
    }

    /** Checks a name that a runner will expand (DNS SRV) without resolving it here. */
    public Uni<Void> nameOnly(EgressOrigin origin, String field, String host) {
        return audited(origin, policy.nameOnly(field, host));
    }

    private <T> Uni<T> audited(EgressOrigin origin, Uni<T> check) {
        return check.onFailure(EgressRefused.class).call(failure -> {
            EgressRefused refused = (EgressRefused) failure;
            LOG.infof("Egress refused for tenant %s, %s: %s", origin.tenantId(), refused.field(), refused.reason());
            return audit.isResolvable() ? audit.get().refused(origin, refused).onFailure().recoverWithNull()
                    : Uni.createFrom().voidItem();
        });
    }

    /** The platform's stores, resolved at most once per refresh interval; a failed lookup keeps the last answer. */
    Uni<PlatformEndpoints> platform() {
        Snapshot current = snapshot.get();
        long now = System.nanoTime();
        if (current != null && now - current.at() < config.platformRefresh().toNanos()) {
            return Uni.createFrom().item(current.endpoints());
        }
        return resolveStores().invoke(endpoints -> snapshot.set(new Snapshot(now, endpoints)))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Could not resolve the platform's own endpoints: %s", failure.toString());
                    return current != null ? current.endpoints() : PlatformEndpoints.NONE;
                });
    }

    private Uni<PlatformEndpoints> resolveStores() {
        Uni<Set<InetAddress>> local = vertx.executeBlocking(Egress::localAddresses, false);
        return local.chain(locals -> {
            Set<PlatformEndpoints.Endpoint> endpoints = Collections.synchronizedSet(new HashSet<>());
            Set<Integer> localPorts = Collections.synchronizedSet(new HashSet<>());
            List<Uni<Void>> lookups = stores.stream().map(store -> addresses(store.host())
                    .invoke(found -> {
                        if (found.isEmpty()) {
                            localPorts.add(store.port()); // unknown: at least never this machine's port
                        }
                        for (InetAddress a : found) {
                            endpoints.add(new PlatformEndpoints.Endpoint(a, store.port()));
                            InetAddress carried = AddressKind.embedded(a);
                            if (a.isLoopbackAddress() || a.isAnyLocalAddress() || locals.contains(a)
                                    || (carried != null && (carried.isLoopbackAddress() || locals.contains(carried)))) {
                                localPorts.add(store.port());
                            }
                        }
                    }).replaceWithVoid()).toList();
            Uni<Void> all = lookups.isEmpty() ? Uni.createFrom().voidItem()
                    : Uni.join().all(lookups).andCollectFailures().replaceWithVoid();
            return all.map(v -> new PlatformEndpoints(Set.copyOf(endpoints), Set.copyOf(localPorts), locals));
        });
    }

    private Uni<List<InetAddress>> addresses(String host) {
        try {
            String name = HostNames.normalise(host);
            var literal = HostNames.literal(name);
            if (literal.isPresent()) {
                return Uni.createFrom().item(List.of(literal.get()));
            }
            if (HostNames.isLocalhost(name)) {
                return Uni.createFrom().item(HostNames.loopbacks());
            }
            return resolver.resolve(name).ifNoItem().after(config.resolveTimeout()).fail()
                    .onFailure().recoverWithItem(List.of());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(List.of());
        }
    }

    private static Set<InetAddress> localAddresses() throws java.io.IOException {
        Set<InetAddress> out = new HashSet<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                out.add(stripScope(a));
            }
        }
        return Set.copyOf(out);
    }

    /** Interface addresses carry a scope (fe80::1%eth0); resolved ones do not, and must compare equal. */
    private static InetAddress stripScope(InetAddress a) throws java.net.UnknownHostException {
        return InetAddress.getByAddress(a.getAddress());
    }
}
