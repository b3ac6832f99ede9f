package io.rimedata.platform.egress;

import io.rimedata.platform.error.Unprocessable;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClientResponse;

/**
 * Reads an outbound response's body up to a limit: a larger body (announced or streamed) fails the read and resets the
 * request, so a hostile or broken endpoint cannot fill the server's memory.
 */
public final class BoundedBody {

    /** The body exceeded its limit. */
    public static class TooLarge extends Unprocessable {
        public TooLarge(String what, long limit) {
            super("The response of " + what + " is larger than the limit of " + limit + " bytes.");
        }
    }

    private BoundedBody() {
    }

    public static Uni<Buffer> read(HttpClientResponse response, long limit, String what) {
        String announced = response.getHeader("Content-Length");
        if (announced != null) {
            try {
                if (Long.parseLong(announced.strip()) > limit) {
                    response.request().reset();
                    return Uni.createFrom().failure(new TooLarge(what, limit));
                }
            } catch (NumberFormatException e) {
                // a malformed length is the HTTP client's to reject; the streamed count below still applies
            }
        }
        return response.toMulti()
                .collect().in(Buffer::buffer, (body, chunk) -> {
                    if ((long) body.length() + chunk.length() > limit) {
                        throw new TooLarge(what, limit);
                    }
                    body.appendBuffer(chunk);
                })
                .onFailure(TooLarge.class).call(() -> {
                    response.request().reset();
                    return Uni.createFrom().voidItem();
                });
    }
}
