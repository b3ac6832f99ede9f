package io.rimedata.platform.pagination;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The list envelope of §1.2. */
public record Page<T>(
        List<T> data,
        @JsonInclude(JsonInclude.Include.ALWAYS) @Schema(description = "Opaque cursor of the next page; null on the last page.", nullable = true)
        String nextCursor,
        boolean hasMore) {

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(data.stream().map(mapper).toList(), nextCursor, hasMore);
    }
}
