package io.rimedata.platform.egress;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * An http(s) URL the policy accepted, parsed once: requests built from it connect to the checked address while the
 * Host header, TLS SNI and certificate verification keep the URL's host name. Redirects are never followed.
 */
public record CheckedUrl(String url, String scheme, String host, int port, String requestUri, CheckedTarget target) {

    public boolean ssl() {
        return "https".equals(scheme);
    }

    public RequestOptions options(HttpMethod method) {
        return new RequestOptions().setMethod(method).setHost(host).setPort(port).setSsl(ssl()).setURI(requestUri)
                .setServer(SocketAddress.inetSocketAddress(port, target.ip())).setFollowRedirects(false);
    }
}
