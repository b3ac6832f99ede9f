package io.rimedata.platform.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Host spellings turned into what they mean. IPv4 literals are read the way the C library and browsers read them
 * ({@code 127.1}, {@code 2130706433}, {@code 0x7f000001}, {@code 0177.0.0.1} are all 127.0.0.1) because Java's parser
 * accepts only some of these; a host whose last label is a number and that is not such a literal is refused rather
 * than looked up. {@code localhost} and every {@code *.localhost} name are loopback without asking DNS (RFC 6761).
 */
public final class HostNames {

    private static final Pattern LABELS = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,62})(\\.[a-z0-9_]([a-z0-9_-]{0,62}))*");
    private static final Pattern NUMBER = Pattern.compile("[0-9]+|0x[0-9a-f]*");
    private static final Pattern V6 = Pattern.compile("[0-9a-f:.]*:[0-9a-f:.]*(%[0-9a-z_.-]+)?");

    private HostNames() {
    }

    /** The host in lower case, without brackets around an IPv6 literal and without one trailing dot. */
    public static String normalise(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".") && !h.contains(":")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.isEmpty() || h.length() > 253) {
            throw new IllegalArgumentException("is not a valid host name");
        }
        return h;
    }

    /** The address a (normalised) host spells, when it is an IP literal in any spelling; empty for a name. */
    public static Optional<InetAddress> literal(String host) {
        if (host.contains(":")) {
            if (!V6.matcher(host).matches() || ambiguousTail(host)) {
                throw new IllegalArgumentException("is not a valid IPv6 address");
            }
            try {
                // bracketed, Java parses it as an IPv6 literal or fails; it never looks it up
                return Optional.of(InetAddress.getByName("[" + host + "]"));
            } catch (UnknownHostException | RuntimeException e) {
                throw new IllegalArgumentException("is not a valid IPv6 address");
            }
        }
        String[] parts = host.split("\\.", -1);
        if (!NUMBER.matcher(parts[parts.length - 1]).matches()) {
            return Optional.empty();
        }
        return Optional.of(v4(parts));
    }

    /** An IPv4 tail with a leading zero ({@code ::ffff:0177.0.0.1}) is octal to some parsers and decimal to Java's. */
    private static boolean ambiguousTail(String v6) {
        String address = v6.contains("%") ? v6.substring(0, v6.indexOf('%')) : v6;
        String tail = address.substring(address.lastIndexOf(':') + 1);
        if (!tail.contains(".")) {
            return false;
        }
        for (String part : tail.split("\\.", -1)) {
            if (part.length() > 1 && part.startsWith("0")) {
                return true;
            }
        }
        return false;
    }

    /** {@code localhost} and names under it, which resolve to loopback whatever DNS says. */
    public static boolean isLocalhost(String host) {
        return host.equals("localhost") || host.endsWith(".localhost");
    }

    /** The loopback addresses a {@code localhost} name stands for. */
    public static List<InetAddress> loopbacks() {
        try {
            return List.of(InetAddress.getByAddress("localhost", new byte[] { 127, 0, 0, 1 }),
                    InetAddress.getByAddress("localhost", new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a (normalised) name is made of DNS labels, so that a lookup means what it says. */
    public static boolean isName(String host) {
        return LABELS.matcher(host).matches();
    }

    /** inet_aton: one to four parts, each decimal, octal (leading 0) or hex (0x); the last fills the remaining bytes. */
    private static InetAddress v4(String[] parts) {
        if (parts.length > 4) {
            throw new IllegalArgumentException("is not a valid IPv4 address");
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = number(parts[i]);
        }
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 255) {
                throw new IllegalArgumentException("is not a valid IPv4 address");
            }
            address |= values[i] << (8 * (3 - i));
        }
        long last = values[parts.length - 1];
        if (last >= (1L << (8 * (5 - parts.length)))) {
            throw new IllegalArgumentException("is not a valid IPv4 address");
        }
        address |= last;
        byte[] bytes = { (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address };
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long number(String part) {
        try {
            if (part.startsWith("0x")) {
                return part.length() == 2 ? invalid() : check(Long.parseLong(part.substring(2), 16), part.length() - 2 > 8);
            }
            if (part.length() > 1 && part.startsWith("0")) {
                return check(Long.parseLong(part.substring(1), 8), part.length() > 12);
            }
            return check(Long.parseLong(part), part.length() > 10);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is not a valid IPv4 address");
        }
    }

    private static long invalid() {
        throw new IllegalArgumentException("is not a valid IPv4 address");
    }

    private static long check(long value, boolean tooLong) {
        if (tooLong || value > 0xffffffffL) {
            throw new IllegalArgumentException("is not a valid IPv4 address");
        }
        return value;
    }
}
