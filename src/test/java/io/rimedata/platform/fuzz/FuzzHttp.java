package io.rimedata.platform.fuzz;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * HTTP/1.1 over TLS on a kept-alive socket, writing the request exactly as given: a fuzzer needs raw bytes in the
 * request line and the body, bodies the client does not re-encode, and chunked uploads, which ordinary clients
 * either refuse or "fix".
 */
final class FuzzHttp implements AutoCloseable {

    /** A response; {@code headers} are keyed in lower case. */
    record Reply(int status, Map<String, List<String>> headers, byte[] body) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Thrown when no complete response came back; the request may or may not have been processed. */
    static final class NoResponse extends IOException {
        NoResponse(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final int TIMEOUT_MILLIS = 30_000;
    private static final int STREAMED_BODY = 64 * 1024;

    private final String address;
    private final int port;
    private final String localAddress;
    private final SSLContext tls;
    private SSLSocket socket;
    private BufferedInputStream in;
    private OutputStream out;

    /** Connects to {@code address:port} from {@code localAddress} (any loopback address on Linux). */
    FuzzHttp(String address, int port, String localAddress) {
        this.address = address;
        this.port = port;
        this.localAddress = localAddress;
        this.tls = io.rimedata.support.RawHttp.testTls();
    }

    /**
     * Sends one request: {@code head} is the request line and headers without the blank line; {@code Content-Length}
     * or {@code Transfer-Encoding: chunked} is added here for a non-null body.
     */
    Reply exchange(byte[] head, byte[] body, boolean chunked) throws NoResponse {
        boolean fresh = socket == null;
        try {
            if (fresh) {
                connect();
            }
            return attempt(head, body, chunked);
        } catch (IOException e) {
            close();
            if (!fresh && !(e instanceof NoResponse)) {
                // a kept-alive connection the server had already closed: nothing was processed, send again
                try {
                    connect();
                    return attempt(head, body, chunked);
                } catch (IOException again) {
                    close();
                    throw again instanceof NoResponse n ? n : new NoResponse(again.toString(), again);
                }
            }
            throw e instanceof NoResponse n ? n : new NoResponse(e.toString(), e);
        }
    }

    private void connect() throws IOException {
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket();
        s.bind(new InetSocketAddress(localAddress, 0));
        s.connect(new InetSocketAddress(address, port), 5000);
        s.setSoTimeout(TIMEOUT_MILLIS);
        s.setTcpNoDelay(true);
        s.startHandshake();
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
        out = s.getOutputStream();
    }

    private Reply attempt(byte[] head, byte[] body, boolean chunked) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.write(head);
        if (body != null) {
            request.write((chunked ? "\r\nTransfer-Encoding: chunked" : "\r\nContent-Length: " + body.length)
                    .getBytes(StandardCharsets.US_ASCII));
        }
        request.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] framed = body == null ? new byte[0] : chunked ? chunk(body) : body;
        if (framed.length <= STREAMED_BODY) {
            request.write(framed);
            out.write(request.toByteArray());
            out.flush();
            return read();
        }
        // a server may answer a large body before reading it (413): write on the side and read the answer here
        OutputStream stream = out;
        stream.write(request.toByteArray());
        stream.flush();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                stream.write(framed);
                stream.flush();
            } catch (IOException ignored) {
                // the server stopped reading; its answer is what counts
            }
        });
        try {
            Reply reply = read();
            if (writer.isAlive()) {
                close(); // the rest of the body would be read as the next request
            }
            return reply;
        } finally {
            try {
                writer.join(TIMEOUT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static byte[] chunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 1024);
        int size = 16 * 1024;
        for (int offset = 0; offset < body.length; offset += size) {
            int n = Math.min(size, body.length - offset);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, offset, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private Reply read() throws IOException {
        while (true) {
            String statusLine;
            try {
                statusLine = line();
            } catch (SocketTimeoutException e) {
                throw new NoResponse("no response within " + TIMEOUT_MILLIS / 1000 + " s", e);
            }
            if (statusLine == null) {
                throw new IOException("connection closed before a response");
            }
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new NoResponse("not an HTTP response: " + statusLine, null);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String header = line(); header != null && !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(header.substring(colon + 1).trim());
                }
            }
            if (status >= 100 && status < 200) {
                continue;
            }
            byte[] body = body(status, headers);
            List<String> connection = headers.getOrDefault("connection", List.of());
            if (connection.stream().anyMatch(v -> v.equalsIgnoreCase("close"))) {
                close();
            }
            return new Reply(status, headers, body);
        }
    }

    private byte[] body(int status, Map<String, List<String>> headers) throws IOException {
        if (status == 204 || status == 304) {
            return new byte[0];
        }
        List<String> encoding = headers.getOrDefault("transfer-encoding", List.of());
        if (encoding.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                if (size == null) {
                    throw new NoResponse("connection closed inside a chunked body", null);
                }
                int semicolon = size.indexOf(';');
                int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (n == 0) {
                    for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
                        // trailers are not used by this API
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(n));
                line();
            }
        }
        List<String> length = headers.get("content-length");
        if (length != null) {
            int n = Integer.parseInt(length.getFirst());
            byte[] body = in.readNBytes(n);
            if (body.length < n) {
                throw new NoResponse("connection closed inside the body", null);
            }
            return body;
        }
        byte[] rest = in.readAllBytes();
        close();
        return rest;
    }

    private String line() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = buffer.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            buffer.write(b);
        }
        return buffer.size() == 0 ? null : buffer.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
