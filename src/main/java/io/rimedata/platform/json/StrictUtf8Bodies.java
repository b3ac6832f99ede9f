package io.rimedata.platform.json;

import io.rimedata.platform.error.BadRequest;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * JSON bodies must be well-formed UTF-8 before Jackson reads them: its decoder accepts overlong forms (C0 AF reads
 * as '/'), so a name could carry a '/' or '.' that no byte-level check saw. The JDK's decoder refuses overlong
 * forms, surrogates and truncated sequences; bodies are at most the JSON limit, already in memory.
 */
@Provider
public class StrictUtf8Bodies implements ReaderInterceptor {

    private static final MediaType MERGE_PATCH = MediaType.valueOf("application/merge-patch+json");

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        if (type != null && (type.isCompatible(MediaType.APPLICATION_JSON_TYPE) || type.isCompatible(MERGE_PATCH))) {
            byte[] body = context.getInputStream().readAllBytes();
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
