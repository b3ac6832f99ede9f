package io.rimedata.platform.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The egress decision on address spellings, for the three kinds of outbound target (a PostgreSQL host, a REST source
 * URL, a webhook URL). The resolver is a table: nothing here sends traffic or asks DNS.
 */
class EgressPolicyTest {

    static final Map<String, List<InetAddress>> DNS = Map.ofEntries(
            Map.entry("public.example", List.of(ip("93.184.216.34"))),
            Map.entry("public6.example", List.of(ip("2606:2800:220:1:248:1893:25c8:1946"))),
            Map.entry("loop.rebind.example", List.of(ip("127.0.0.1"))),
            Map.entry("internal.rebind.example", List.of(ip("10.0.0.5"))),
            Map.entry("metadata.rebind.example", List.of(ip("169.254.169.254"))),
            Map.entry("linklocal.rebind.example", List.of(ip("169.254.10.10"))),
            Map.entry("cgnat.rebind.example", List.of(ip("100.64.1.1"))),
            Map.entry("ula.rebind.example", List.of(ip("fd12:3456::1"))),
            Map.entry("mapped.rebind.example", List.of(mapped(127, 0, 0, 1))),
            Map.entry("mapped-private.rebind.example", List.of(mapped(192, 168, 0, 10))),
            Map.entry("nat64.rebind.example", List.of(ip("64:ff9b::a9fe:a9fe"))),
            Map.entry("mixed.rebind.example", List.of(ip("93.184.216.34"), ip("10.0.0.5"))),
            Map.entry("mixed6.rebind.example", List.of(ip("93.184.216.34"), ip("::1"))));

    static final PlatformEndpoints PLATFORM = new PlatformEndpoints(
            Set.of(new PlatformEndpoints.Endpoint(ip("127.0.0.1"), 5432), new PlatformEndpoints.Endpoint(ip("127.0.0.1"), 6379)),
            Set.of(5432, 6379), Set.of(ip("127.0.0.1"), ip("::1"), ip("192.168.77.7")));

    static EgressPolicy production() {
        return policy(List.of());
    }

    static EgressPolicy policy(List<String> allow) {
        return new EgressPolicy(allow.stream().map(AllowRule::parse).toList(), () -> Uni.createFrom().item(PLATFORM),
                name -> DNS.containsKey(name) ? Uni.createFrom().item(DNS.get(name))
                        : Uni.createFrom().failure(new UnknownHostException(name)),
                Duration.ofSeconds(1));
    }

    /** Hosts that are not public, in every spelling we know of. */
    static Stream<String> refusedHosts() {
        return Stream.of("127.0.0.1", "127.1", "127.0.1", "2130706433", "0x7f000001", "0X7F000001", "0x7f.1",
                "0177.0.0.1", "0177.1", "017700000001", "127.000.000.001", "127.0.0.1.", "localhost", "LOCALHOST",
                "localhost.", "foo.localhost", "Foo.LocalHost.", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1",
                "[::ffff:127.0.0.1]", "::ffff:7f00:1", "::127.0.0.1", "0.0.0.0", "0", "::", "[::]", "169.254.169.254",
                "0xa9fea9fe", "2852039166", "[fd00:ec2::254]", "100.100.100.200", "10.0.0.5", "012.0.0.5", "172.16.0.1",
                "172.31.255.255", "192.168.1.1", "100.64.0.1", "fe80::1", "[fe80::1]", "fd00::1", "fc00::1",
                "64:ff9b::7f00:1", "2002:7f00:1::1", "224.0.0.1", "255.255.255.255", "240.0.0.1",
                "loop.rebind.example", "LOOP.REBIND.EXAMPLE.", "internal.rebind.example", "metadata.rebind.example",
                "linklocal.rebind.example", "cgnat.rebind.example", "ula.rebind.example", "mapped.rebind.example",
                "mapped-private.rebind.example", "nat64.rebind.example", "mixed.rebind.example",
                "mixed6.rebind.example", "does-not-resolve.example", "1.2.3.4.5", "256.1.1.1", "1.2.3.0x",
                "08.1.1.1", "::ffff:0177.0.0.1", "host name", "");
    }

    @ParameterizedTest
    @MethodSource("refusedHosts")
    void refusesPostgresqlHostSpellingsNamingTheField(String host) {
        EgressRefused refused = refusal(production().host("config.host", host, 5433));
        assertEquals("config.host", refused.field());
        assertEquals("config.host", refused.details().get(0).field());
        assertEquals(422, refused.status());
    }

    @ParameterizedTest
    @MethodSource("refusedHosts")
    void refusesRestApiUrlSpellingsNamingTheField(String host) {
        String authority = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        EgressRefused refused = refusal(production().url("config.base_url", "https://" + authority + "/v1/items?page=1"));
        assertEquals("config.base_url", refused.field());
    }

    @ParameterizedTest
    @MethodSource("refusedHosts")
    void refusesWebhookUrlSpellingsNamingTheField(String host) {
        String authority = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        EgressRefused refused = refusal(production().url("steps[2].config.url", "http://" + authority + ":8080/hook"));
        assertEquals("steps[2].config.url", refused.field());
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://user:secret@127.0.0.1/", "http://public.example@127.0.0.1/", "ftp://public.example/",
            "file:///etc/passwd", "gopher://public.example/", "http:///nohost", "http://169.254.169.254/latest/meta-data/",
            "http://[::ffff:a9fe:a9fe]/", "https://metadata.rebind.example/computeMetadata/v1/", "not a url",
            "http://public.example:0/", "http://public.example:99999/" })
    void refusesUrlsThatAreNotPublicHttp(String url) {
        EgressRefused refused = refusal(production().url("steps[0].config.url", url));
        assertEquals("steps[0].config.url", refused.field());
    }

    @Test
    void reasonNamesTheHostAndTheAddress() {
        EgressRefused refused = refusal(production().host("config.host", "internal.rebind.example", 5432));
        assertEquals("'internal.rebind.example' resolves to a private address 10.0.0.5, which this server does not "
                + "connect to.", refused.reason());
        assertTrue(refusal(production().url("config.auth.token_url", "http://169.254.169.254/token")).reason()
                .contains("a cloud metadata address 169.254.169.254"));
    }

    @Test
    void aNameWithOneGoodAndOneBadAddressIsRefused() {
        assertTrue(refusal(production().host("config.host", "mixed.rebind.example", 443)).reason().contains("10.0.0.5"));
        assertTrue(refusal(production().host("config.host", "mixed6.rebind.example", 443)).reason().contains("loopback"));
    }

    @Test
    void publicTargetsPassAndHandBackTheCheckedAddress() {
        CheckedTarget target = production().host("config.host", "Public.Example.", 5432).await().indefinitely();
        assertEquals(ip("93.184.216.34"), target.address());
        assertEquals("public.example", target.host());
        CheckedUrl url = production().url("config.base_url", "https://public6.example/v1/items?page=2").await().indefinitely();
        assertEquals("2606:2800:220:1:248:1893:25c8:1946", url.target().ip());
        assertEquals(443, url.port());
        assertEquals("/v1/items?page=2", url.requestUri());
        assertEquals("public6.example", url.host());
        assertEquals(ip("93.184.216.34"), production().host("config.host", "93.184.216.34", 5432).await().indefinitely().address());
    }

    @Test
    void theHostIsResolvedOnceAndTheCheckedAddressIsWhatCallersConnectTo() {
        // a rebinding resolver answers a public address first and loopback afterwards
        AtomicInteger lookups = new AtomicInteger();
        EgressPolicy policy = new EgressPolicy(List.of(), () -> Uni.createFrom().item(PLATFORM),
                name -> Uni.createFrom().item(List.of(lookups.getAndIncrement() == 0 ? ip("93.184.216.34") : ip("127.0.0.1"))),
                Duration.ofSeconds(1));
        CheckedUrl url = policy.url("config.base_url", "http://rebind.example/").await().indefinitely();
        assertEquals(1, lookups.get());
        assertEquals("93.184.216.34", url.options(io.vertx.core.http.HttpMethod.GET).getServer().host());
        assertEquals("rebind.example", url.options(io.vertx.core.http.HttpMethod.GET).getHost());
    }

    @Test
    void theAllowListOpensExceptions() {
        EgressPolicy dev = policy(List.of("127.0.0.0/8", "::1", "10.1.0.0/16:5432", "[fd00::/8]:8000-8099"));
        assertEquals(ip("127.0.0.1"), dev.host("config.host", "localhost", 5433).await().indefinitely().address());
        assertEquals(ip("127.0.0.2"), dev.host("config.host", "127.2", 8080).await().indefinitely().address());
        dev.host("config.host", "::1", 15432).await().indefinitely();
        dev.host("config.host", "10.1.2.3", 5432).await().indefinitely();
        refusal(dev.host("config.host", "10.1.2.3", 5433));
        refusal(dev.host("config.host", "10.2.0.1", 5432));
        dev.url("steps[0].config.url", "http://[fd00::5]:8080/").await().indefinitely();
        refusal(dev.url("steps[0].config.url", "http://[fd00::5]:9000/"));
        refusal(dev.host("config.host", "169.254.169.254", 80));
        refusal(dev.host("config.host", "192.168.1.1", 5432));
    }

    @ParameterizedTest
    @ValueSource(strings = { "127.0.0.1", "127.1", "2130706433", "localhost", "LOCALHOST.", "127.0.0.2", "127.255.255.254",
            "::1", "[::1]", "::ffff:127.0.0.1", "::127.0.0.1", "0.0.0.0", "0", "::", "192.168.77.7", "::ffff:192.168.77.7",
            "loop.rebind.example", "mapped.rebind.example" })
    void thePlatformsStoresAreRefusedWhateverTheAllowListSays(String host) {
        EgressPolicy open = policy(List.of("0.0.0.0/0", "::/0"));
        for (int port : new int[] { 5432, 6379 }) {
            EgressRefused refused = refusal(open.host("config.host", host, port));
            assertTrue(refused.reason().contains("platform"), refused.reason());
        }
        open.host("config.host", host, 5433).await().indefinitely(); // another port of the same host is not a store
    }

    @Test
    void platformStoresElsewhereAreRefusedOnTheirOwnAddressAndPort() {
        PlatformEndpoints remote = new PlatformEndpoints(Set.of(new PlatformEndpoints.Endpoint(ip("10.9.0.4"), 5432)),
                Set.of(), Set.of(ip("127.0.0.1")));
        EgressPolicy policy = new EgressPolicy(List.of(AllowRule.parse("10.0.0.0/8")), () -> Uni.createFrom().item(remote),
                name -> Uni.createFrom().failure(new UnknownHostException(name)), Duration.ofSeconds(1));
        refusal(policy.host("config.host", "10.9.0.4", 5432));
        refusal(policy.host("config.host", "::ffff:10.9.0.4", 5432));
        policy.host("config.host", "10.9.0.4", 5433).await().indefinitely();
        policy.host("config.host", "10.9.0.5", 5432).await().indefinitely();
    }

    @Test
    void writesAdmitNamesThatDoNotResolveYetButNeverARefusedAddress() {
        production().admitHost("config.host", "not-yet.example", 5432).await().indefinitely();
        production().admitUrl("steps[0].config.url", "https://not-yet.example/hook").await().indefinitely();
        refusal(production().host("config.host", "not-yet.example", 5432)); // connecting needs an address
        assertEquals("steps[0].config.url", refusal(production().admitUrl("steps[0].config.url",
                "http://metadata.rebind.example/")).field());
        refusal(production().admitHost("config.host", "mixed.rebind.example", 5432));
        refusal(production().admitHost("config.host", "0x7f000001", 5432));
        refusal(production().admitUrl("config.base_url", "ftp://not-yet.example/"));
    }

    @Test
    void srvNamesAreCheckedWithoutALookup() {
        production().nameOnly("config.connection_string", "cluster0.public.example").await().indefinitely();
        refusal(production().nameOnly("config.connection_string", "localhost"));
        refusal(production().nameOnly("config.connection_string", "10.0.0.1"));
    }

    @Test
    void allowRulesRejectWhatTheyCannotRead() {
        for (String bad : List.of("", "10.0.0.0/33", "10.0.0.0/8:0", "10.0.0.0/8:70000", "10.0.0.0/8:9-1", "example.com",
                "[::1", "::1/129", "10.0.0.0/x")) {
            assertThrows(IllegalArgumentException.class, () -> AllowRule.parse(bad), bad);
        }
        AllowRule rule = AllowRule.parse("172.16.0.0/12:5432");
        assertTrue(rule.allows(ip("172.31.1.1"), 5432));
        assertTrue(!rule.allows(ip("172.32.1.1"), 5432));
    }

    @Test
    void platformStoresAreReadFromDatasourceAndRedisSettings() {
        List<PlatformEndpoints.Configured> found = new ArrayList<>(PlatformEndpoints.configured(Map.of(
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/rime",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://db1.internal:5433,db2.internal/rime?ssl=true",
                "quarkus.datasource.\"reports\".reactive.url", "vertx-reactive:postgresql://reports.internal/r",
                "quarkus.redis.hosts", "redis://:secret@cache.internal:6380/0,rediss://cache2.internal",
                "quarkus.datasource.username", "postgres")));
        found.sort(java.util.Comparator.comparing(PlatformEndpoints.Configured::host));
        assertEquals(List.of(new PlatformEndpoints.Configured("database", "127.0.0.1", 5432),
                new PlatformEndpoints.Configured("cache", "cache.internal", 6380),
                new PlatformEndpoints.Configured("cache", "cache2.internal", 6379),
                new PlatformEndpoints.Configured("database", "db1.internal", 5433),
                new PlatformEndpoints.Configured("database", "db2.internal", 5432),
                new PlatformEndpoints.Configured("database", "reports.internal", 5432)), found);
    }

    static EgressRefused refusal(Uni<?> check) {
        Throwable failure = assertThrows(Throwable.class, () -> check.await().atMost(Duration.ofSeconds(5)));
        return assertInstanceOf(EgressRefused.class, failure);
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An IPv6 address that stays IPv6 ({@code ::ffff:a.b.c.d}), as a resolver may hand it back. */
    static InetAddress mapped(int a, int b, int c, int d) {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        bytes[12] = (byte) a;
        bytes[13] = (byte) b;
        bytes[14] = (byte) c;
        bytes[15] = (byte) d;
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
