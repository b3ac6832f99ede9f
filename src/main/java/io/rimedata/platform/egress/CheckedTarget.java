package io.rimedata.platform.egress;

import java.net.InetAddress;

/** A destination the policy accepted: connect to {@code address}, never to {@code host} again (no second lookup). */
public record CheckedTarget(String host, InetAddress address, int port) {

    /** The checked address as text, for clients that take a host string. */
    public String ip() {
        return address.getHostAddress();
    }
}
