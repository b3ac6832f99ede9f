package io.rimedata.platform.json;

import io.rimedata.platform.config.PlatformConfig;
import io.rimedata.platform.error.BadRequest;
import io.rimedata.platform.error.PayloadTooLarge;
import jakarta.inject.Provider;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What a JSON body must be before Jackson reads it. At most the JSON limit: the transport filter refuses a larger
 * {@code Content-Length} up front, and this catches bodies sent chunked, which declare no length. And well-formed
 * UTF-8: Jackson's decoder accepts overlong forms (C0 AF reads as '/'), so a name could carry a '/' or '.' that no
 * byte-level check saw; the JDK's decoder refuses overlong forms, surrogates and truncated sequences.
 */
@jakarta.ws.rs.ext.Provider
public class JsonBodies implements ReaderInterceptor {

    private static final MediaType MERGE_PATCH = MediaType.valueOf("application/merge-patch+json");

    /** Providers are built before runtime configuration exists, so the limit is read on first use. */
    private final Provider<PlatformConfig> config;

    JsonBodies(Provider<PlatformConfig> config) {
        this.config = config;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        if (type != null && (type.isCompatible(MediaType.APPLICATION_JSON_TYPE) || type.isCompatible(MERGE_PATCH))) {
            long maxBytes = config.get().maxJsonBodyBytes();
            byte[] body = context.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw new PayloadTooLarge("The request body is larger than the limit of " + maxBytes + " bytes.");
            }
            if (!wellFormed(body)) {
                throw new BadRequest("The request body is not well-formed UTF-8.");
            }
            context.setInputStream(new ByteArrayInputStream(body));
        }
        return context.proceed();
    }

    static boolean wellFormed(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
