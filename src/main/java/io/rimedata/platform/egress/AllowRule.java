package io.rimedata.platform.egress;

import java.net.InetAddress;

/**
 * One entry of {@code rime.egress.allow}: a CIDR block, optionally with a port or port range —
 * {@code 10.1.0.0/16}, {@code 10.1.2.3:5432}, {@code 192.168.0.0/24:8000-8099}, {@code ::1}, {@code [fd00::/8]:443}.
 */
public record AllowRule(byte[] network, int prefix, int portFrom, int portTo, String text) {

    public static AllowRule parse(String entry) {
        String e = entry.strip();
        String block;
        String ports = null;
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            if (close < 0) {
                throw invalid(entry);
            }
            block = e.substring(1, close);
            String rest = e.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw invalid(entry);
                }
                ports = rest.substring(1);
            }
        } else if (e.indexOf(':') >= 0 && e.indexOf(':') == e.lastIndexOf(':')) {
            block = e.substring(0, e.indexOf(':'));
            ports = e.substring(e.indexOf(':') + 1);
        } else {
            block = e;
        }
        String addressText = block.contains("/") ? block.substring(0, block.indexOf('/')) : block;
        InetAddress address;
        try {
            address = HostNames.literal(HostNames.normalise(addressText)).orElseThrow(() -> invalid(entry));
        } catch (IllegalArgumentException ex) {
            throw invalid(entry);
        }
        byte[] bytes = address.getAddress();
        int prefix = bytes.length * 8;
        try {
            if (block.contains("/")) {
                prefix = Integer.parseInt(block.substring(block.indexOf('/') + 1));
            }
            int from = 1;
            int to = 65535;
            if (ports != null) {
                String[] range = ports.split("-", -1);
                from = Integer.parseInt(range[0]);
                to = range.length == 2 ? Integer.parseInt(range[1]) : from;
                if (range.length > 2) {
                    throw invalid(entry);
                }
            }
            if (prefix < 0 || prefix > bytes.length * 8 || from < 1 || to > 65535 || from > to) {
                throw invalid(entry);
            }
            return new AllowRule(bytes, prefix, from, to, e);
        } catch (NumberFormatException ex) {
            throw invalid(entry);
        }
    }

    public boolean allows(InetAddress address, int port) {
        byte[] b = address.getAddress();
        if (b.length != network.length || port < portFrom || port > portTo) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (b[i] != network[i]) {
                return false;
            }
        }
        int bits = prefix % 8;
        if (bits == 0) {
            return true;
        }
        int mask = (0xff << (8 - bits)) & 0xff;
        return (b[whole] & mask) == (network[whole] & mask);
    }

    private static IllegalArgumentException invalid(String entry) {
        return new IllegalArgumentException("rime.egress.allow: '" + entry
                + "' is not a CIDR block with an optional port (10.0.0.0/8, 10.0.0.5:5432, [fd00::/8]:443)");
    }
}
