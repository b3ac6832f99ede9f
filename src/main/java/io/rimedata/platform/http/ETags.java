package io.rimedata.platform.http;

import io.rimedata.platform.error.PreconditionFailed;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/** Strong entity tags derived from a row's id and optimistic-lock version (§1.4). */
public final class ETags {

    private ETags() {
    }

    /** A value together with the ETag of the row it came from. */
    public record Tagged<T>(T value, String etag) {
    }

    public static String of(UUID id, long version) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((id + ":" + version).getBytes(StandardCharsets.US_ASCII));
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether an {@code If-Match}/{@code If-None-Match} header value lists this tag ({@code *} matches any). */
    public static boolean matches(String header, String etag) {
        if (header == null) {
            return false;
        }
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || c.equals(etag) || (c.startsWith("W/") && c.substring(2).equals(etag))) {
                return true;
            }
        }
        return false;
    }

    /** Throws 412 unless the {@code If-Match} header, when present, matches the current tag. */
    public static void requireMatch(String ifMatch, String currentEtag) {
        if (ifMatch != null && !matches(ifMatch, currentEtag)) {
            throw new PreconditionFailed("The resource has changed since it was read (If-Match does not match its ETag).");
        }
    }

    /** 200 with the ETag, or 304 without a body when {@code If-None-Match} already names it. */
    public static <T> RestResponse<T> okOrNotModified(Tagged<T> tagged, String ifNoneMatch) {
        if (matches(ifNoneMatch, tagged.etag())) {
            return RestResponse.ResponseBuilder.<T>notModified().header("ETag", tagged.etag()).build();
        }
        return RestResponse.ResponseBuilder.ok(tagged.value()).header("ETag", tagged.etag()).build();
    }
}
