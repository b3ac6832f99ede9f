package io.rimedata.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Plain HTTP/1.1 over a socket bound to a chosen loopback address, so a test can play a trusted proxy
 * (127.0.0.1) or an untrusted client (127.0.0.2) against the same server; and requests whose target is sent
 * exactly as written, which HTTP client libraries would normalise or encode.
 */
public final class RawHttp {

    public record Reply(int status, String head, String body) {
    }

    private RawHttp() {
    }

    public static Reply get(String fromAddress, int port, String path, Map<String, String> headers) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(fromAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            return exchange(socket, "GET", path, headers);
        }
    }

    /**
     * One request over TLS to the HTTPS port with the request target sent byte for byte as given (no client-side
     * normalisation or encoding), for tests of path spellings.
     */
    public static Reply tls(String method, String target, Map<String, String> headers) throws IOException {
        return tls("127.0.0.1", method, target, headers);
    }

    /** The same from a chosen loopback address, which the server sees as the client's. */
    public static Reply tls(String fromAddress, String method, String target, Map<String, String> headers) throws IOException {
        try (Socket plain = new Socket()) {
            plain.bind(new InetSocketAddress(fromAddress, 0));
            plain.connect(new InetSocketAddress("127.0.0.1", Api.HTTPS_PORT), 5000);
            try (SSLSocket socket = (SSLSocket) testTls().getSocketFactory().createSocket(plain, "localhost", Api.HTTPS_PORT, true)) {
                socket.startHandshake();
                return exchange(socket, method, target, headers);
            }
        }
    }

    /** The same over plain HTTP, from 127.0.0.1. */
    public static Reply plain(String method, String target, Map<String, String> headers) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", Api.HTTP_PORT), 5000);
            return exchange(socket, method, target, headers);
        }
    }

    private static Reply exchange(Socket socket, String method, String path, Map<String, String> headers) throws IOException {
        socket.setSoTimeout(10_000);
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("Connection: close\r\n\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        in.transferTo(buffer);
        String response = buffer.toString(StandardCharsets.UTF_8);
        int split = response.indexOf("\r\n\r\n");
        String head = split < 0 ? response : response.substring(0, split);
        String body = split < 0 ? "" : response.substring(split + 4);
        int status = Integer.parseInt(head.substring(9, 12));
        return new Reply(status, head, body);
    }

    /** A TLS context that accepts the test server's self-signed certificate; these clients test the API, not TLS. */
    public static SSLContext testTls() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
