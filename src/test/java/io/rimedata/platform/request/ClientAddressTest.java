package io.rimedata.platform.request;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientAddressTest {

    @ParameterizedTest
    @CsvSource({
        "203.0.113.7, 203.0.113.7",
        "2001:db8:1:2:3:4:5:6, 2001:db8:1:2::/64",
        "2001:db8:1:2:ffff:ffff:ffff:ffff, 2001:db8:1:2::/64",
        "[2001:db8:1:2::9], 2001:db8:1:2::/64",
        "fe80::1%eth0, fe80:0:0:0::/64",
        "::ffff:203.0.113.7, 203.0.113.7",
        "::1, 0:0:0:0::/64",
        "localhost, unknown",
        "example.com, unknown",
        "'', unknown",
    })
    void namesTheBucketOfAnAddressWithIpv6CountedByItsSlash64(String peer, String bucket) {
        assertEquals(bucket, ClientAddress.of(peer));
    }

    @ParameterizedTest
    @CsvSource({"2001:db8:1:2::1, 2001:db8:1:2:abcd::99", "2001:0db8:0001:0002::1, 2001:db8:1:2::2"})
    void countsEveryAddressOfOneSlash64AsOneClient(String a, String b) {
        assertEquals(ClientAddress.of(a), ClientAddress.of(b));
    }
}
