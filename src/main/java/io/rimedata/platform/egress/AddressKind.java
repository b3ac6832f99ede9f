package io.rimedata.platform.egress;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * What an address is, decided on its bytes alone (never on how it was spelled): only {@link #PUBLIC} addresses are
 * reachable without an allow-list entry. IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4)
 * are judged by the address they carry.
 */
public enum AddressKind {
    PUBLIC("a public address"),
    LOOPBACK("a loopback address"),
    PRIVATE("a private address"),
    SHARED("a carrier-grade NAT address"),
    LINK_LOCAL("a link-local address"),
    METADATA("a cloud metadata address"),
    UNSPECIFIED("an unspecified (this-host) address"),
    MULTICAST("a multicast address"),
    BROADCAST("the broadcast address"),
    RESERVED("a reserved address");

    public final String description;

    AddressKind(String description) {
        this.description = description;
    }

    public static AddressKind of(InetAddress address) {
        byte[] b = address.getAddress();
        return b.length == 4 ? ofV4(b) : ofV6(b);
    }

    /** The IPv4 address an IPv6 address carries (mapped, compatible, SIIT, NAT64, 6to4), or null. */
    public static Inet4Address embedded(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return null;
        }
        int start = -1;
        if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            start = 12; // ::ffff:a.b.c.d
        } else if (zero(b, 0, 12) && !zero(b, 12, 16) && !(zero(b, 12, 15) && b[15] == 1)) {
            start = 12; // ::a.b.c.d (deprecated IPv4-compatible)
        } else if (zero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && zero(b, 10, 12)) {
            start = 12; // ::ffff:0:a.b.c.d (SIIT)
        } else if (u16(b, 0) == 0x64 && u16(b, 2) == 0xff9b && zero(b, 4, 12)) {
            start = 12; // 64:ff9b::a.b.c.d (NAT64)
        } else if (u16(b, 0) == 0x2002) {
            start = 2; // 2002:aabb:ccdd::/48 (6to4)
        }
        if (start < 0) {
            return null;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] { b[start], b[start + 1], b[start + 2], b[start + 3] });
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AddressKind ofV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        int a3 = b[3] & 0xff;
        if ((a0 == 169 && a1 == 254 && a2 == 169 && a3 == 254) || (a0 == 169 && a1 == 254 && a2 == 170 && a3 == 2)
                || (a0 == 100 && a1 == 100 && a2 == 100 && a3 == 200)) {
            return METADATA; // AWS/GCP/Azure/OpenStack, ECS task metadata, Alibaba
        }
        if (a0 == 0) {
            return UNSPECIFIED;
        }
        if (a0 == 127) {
            return LOOPBACK;
        }
        if (a0 == 10 || (a0 == 172 && (a1 & 0xf0) == 16) || (a0 == 192 && a1 == 168)) {
            return PRIVATE;
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return SHARED;
        }
        if (a0 == 169 && a1 == 254) {
            return LINK_LOCAL;
        }
        if (a0 == 255 && a1 == 255 && a2 == 255 && a3 == 255) {
            return BROADCAST;
        }
        if (a0 >= 224 && a0 <= 239) {
            return MULTICAST;
        }
        if (a0 >= 240 || (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) || (a0 == 192 && a1 == 88 && a2 == 99)
                || (a0 == 198 && (a1 == 18 || a1 == 19)) || (a0 == 198 && a1 == 51 && a2 == 100)
                || (a0 == 203 && a1 == 0 && a2 == 113)) {
            return RESERVED; // protocol assignments, documentation, benchmarking, 6to4 relay, class E
        }
        return PUBLIC;
    }

    private static AddressKind ofV6(byte[] b) {
        if (zero(b, 0, 16)) {
            return UNSPECIFIED;
        }
        if (zero(b, 0, 15) && b[15] == 1) {
            return LOOPBACK;
        }
        Inet4Address carried = embedded(v6(b));
        if (carried != null) {
            AddressKind inner = ofV4(carried.getAddress());
            boolean compatible = zero(b, 0, 12);
            return inner == PUBLIC && compatible ? RESERVED : inner;
        }
        int first = u16(b, 0);
        if (first == 0xfd00 && u16(b, 2) == 0x0ec2 && zero(b, 4, 14) && u16(b, 14) == 0x254) {
            return METADATA; // AWS over IPv6
        }
        if ((b[0] & 0xff) == 0xff) {
            return MULTICAST;
        }
        if ((first & 0xffc0) == 0xfe80) {
            return LINK_LOCAL;
        }
        if ((first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfec0 || (first == 0x64 && u16(b, 2) == 0xff9b)) {
            return PRIVATE; // unique local, old site-local, local-use NAT64 (64:ff9b:1::/48)
        }
        if ((first & 0xe000) != 0x2000 || (first == 0x2001 && u16(b, 2) == 0) || (first == 0x2001 && u16(b, 2) == 0xdb8)) {
            return RESERVED; // outside global unicast, Teredo, documentation
        }
        return PUBLIC;
    }

    private static InetAddress v6(byte[] b) {
        try {
            return java.net.Inet6Address.getByAddress(null, b, -1);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
