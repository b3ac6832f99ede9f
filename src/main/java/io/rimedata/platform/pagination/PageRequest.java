package io.rimedata.platform.pagination;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** A validated request for one page of a list: size, position after which to continue, and direction. */
public record PageRequest(String listId, String fingerprint, int limit, UUID after, boolean ascending,
        CursorCodec codec) {

    /** Turns {@code limit + 1} fetched rows into the page envelope, with a cursor when more rows follow. */
    public <T> Page<T> toPage(List<T> rows, Function<T, UUID> idOf) {
        boolean hasMore = rows.size() > limit;
        List<T> data = hasMore ? rows.subList(0, limit) : rows;
        String next = hasMore ? codec.encode(listId, fingerprint, idOf.apply(data.getLast()).toString()) : null;
        return new Page<>(List.copyOf(data), next, hasMore);
    }
}
