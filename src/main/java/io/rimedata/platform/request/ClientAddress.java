package io.rimedata.platform.request;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The client a per-address limit is charged to. An IPv6 subscriber gets a whole /64 (and can pick any address in
 * it), so IPv6 clients are counted by their /64; IPv4-mapped IPv6 addresses count as the IPv4 address they carry.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    /** The bucket name of a peer address as Vert.x reports it (an IP literal); {@code unknown} when there is none. */
    public static String of(String hostAddress) {
        if (hostAddress == null || hostAddress.isBlank()) {
            return "unknown";
        }
        String literal = hostAddress.trim();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        if (!isIpLiteral(literal)) {
            return "unknown";
        }
        InetAddress address;
        try {
            // an IP literal is parsed, never looked up
            address = InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return "unknown";
        }
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            StringBuilder prefix = new StringBuilder(24);
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        }
        return "unknown";
    }

    /** Only hex digits, dots and colons: never a name that would need resolving. */
    private static boolean isIpLiteral(String value) {
        if (value.isEmpty() || value.length() > 45) {
            return false;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        boolean colon = lower.indexOf(':') >= 0;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || c == ':' || (colon && c >= 'a' && c <= 'f');
            if (!ok) {
                return false;
            }
        }
        return colon || lower.chars().filter(c -> c == '.').count() == 3;
    }
}
