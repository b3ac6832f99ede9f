package io.rimedata.platform.pagination;

import java.util.List;
import java.util.function.Function;

/** The list envelope of §1.2. */
public record Page<T>(List<T> data, String nextCursor, boolean hasMore) {

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(data.stream().map(mapper).toList(), nextCursor, hasMore);
    }
}
