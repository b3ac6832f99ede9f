package io.rimedata.platform.transport;

import io.rimedata.platform.config.PlatformConfig;
import io.rimedata.platform.error.ErrorWriter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * HTTPS only, JSON bodies only, bounded bodies. The scheme comes from the connection, or from
 * {@code X-Forwarded-Proto} only when the peer is a configured trusted proxy (Quarkus' forwarding parser
 * ignores the header from anyone else), so one check covers both deployment modes of §1.
 */
@ApplicationScoped
public class TransportFilter {

    private final ErrorWriter errors;
    private final long maxJsonBody;
    private final long maxUpload;

    TransportFilter(ErrorWriter errors, PlatformConfig config,
            @ConfigProperty(name = "rime.connectors.upload-max-bytes", defaultValue = "104857600") long maxUpload) {
        this.errors = errors;
        this.maxJsonBody = config.maxJsonBodyBytes();
        this.maxUpload = maxUpload;
    }

    public void check(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (!request.path().startsWith("/api")) {
            rc.next();
            return;
        }
        if (!"https".equals(request.scheme())) {
            errors.write(rc, 403, "forbidden", "HTTPS is required.", List.of());
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean chunked = request.headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true);
        long declared = parseLength(length);
        if (declared < 0) {
            errors.write(rc, 400, "validation_error", "The Content-Length header is invalid.", List.of());
            return;
        }
        boolean hasBody = declared > 0 || chunked;
        // file uploads are the one documented exception to JSON bodies
        boolean upload = request.path().endsWith("/upload") && isMultipart(request.getHeader(HttpHeaders.CONTENT_TYPE));
        if (hasBody && !upload && !isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            errors.write(rc, 415, "unsupported_media_type",
                    "Request bodies must be sent as Content-Type: application/json.", List.of());
            return;
        }
        long limit = upload ? maxUpload : maxJsonBody;
        if (declared > limit) {
            errors.write(rc, 413, "payload_too_large",
                    "The request body is larger than the limit of " + limit + " bytes.", List.of());
            return;
        }
        rc.next();
    }

    private static long parseLength(String header) {
        if (header == null || header.isEmpty()) {
            return 0;
        }
        try {
            long value = Long.parseLong(header.trim());
            return value < 0 ? -1 : value;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data");
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase("application/json") || type.equalsIgnoreCase("application/merge-patch+json");
    }
}
