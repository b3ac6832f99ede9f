package io.rimedata.platform.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every inet_aton spelling of an address means that address's bytes, so no spelling of a loopback address passes. */
class LoopbackSpellingsPropertiesTest {

    record Spelled(long address, String text) {
    }

    @Property(tries = 2000)
    void everySpellingOfALoopbackAddressIsRefused(@ForAll("loopbacks") Spelled spelled) {
        EgressRefused refused = EgressPolicyTest.refusal(EgressPolicyTest.production()
                .url("config.base_url", "http://" + spelled.text() + "/"));
        assertEquals("config.base_url", refused.field());
    }

    @Property(tries = 2000)
    void everySpellingParsesToTheSameBytes(@ForAll("anyAddress") Spelled spelled) throws Exception {
        InetAddress parsed = HostNames.literal(HostNames.normalise(spelled.text())).orElseThrow();
        long a = spelled.address();
        assertEquals(InetAddress.getByAddress(new byte[] { (byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a }),
                parsed);
    }

    @Provide
    Arbitrary<Spelled> loopbacks() {
        return spellings(Arbitraries.longs().between(0x7f000000L, 0x7fffffffL));
    }

    @Provide
    Arbitrary<Spelled> anyAddress() {
        return spellings(Arbitraries.longs().between(0, 0xffffffffL));
    }

    private static Arbitrary<Spelled> spellings(Arbitrary<Long> addresses) {
        return Combinators.combine(addresses, Arbitraries.integers().between(1, 4),
                Arbitraries.integers().between(0, 2).list().ofSize(4), Arbitraries.of(true, false))
                .as((address, parts, radixes, trailingDot) -> new Spelled(address,
                        spell(address, parts, radixes) + (trailingDot ? "." : "")));
    }

    /** The address in {@code parts} parts (the last one holding the remaining bytes), each decimal, octal or hex. */
    static String spell(long address, int parts, List<Integer> radixes) {
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < parts - 1; i++) {
            values.add((address >>> (8 * (3 - i))) & 0xff);
        }
        values.add(address & ((1L << (8 * (5 - parts))) - 1));
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            long v = values.get(i);
            texts.add(switch (radixes.get(i)) {
                case 1 -> "0" + Long.toOctalString(v);
                case 2 -> "0x" + Long.toHexString(v);
                default -> Long.toString(v);
            });
        }
        return String.join(".", texts);
    }
}
