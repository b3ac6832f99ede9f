package io.rimedata.platform.pagination;

import io.rimedata.platform.config.PlatformConfig;
import io.rimedata.platform.error.BadRequest;
import io.rimedata.platform.error.ErrorDetail;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Base64;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/** Parses {@code limit} and {@code cursor} for every list endpoint (§1.2). */
@ApplicationScoped
public class Pagination {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 100;

    private final CursorCodec codec;

    Pagination(PlatformConfig config) {
        this.codec = new CursorCodec(Base64.getDecoder().decode(config.cursorKey()));
    }

    /** Oldest first, the default order of resources. */
    public PageRequest ascending(String listId, SortedMap<String, String> filters, String limit, String cursor) {
        return request(listId, filters, limit, cursor, true);
    }

    /** Newest first: runs, events, alerts and audit entries. */
    public PageRequest descending(String listId, SortedMap<String, String> filters, String limit, String cursor) {
        return request(listId, filters, limit, cursor, false);
    }

    /**
     * A page of a list ordered by a number rather than an id (a run's events by {@code seq}, a log by line): the
     * cursor carries the number.
     */
    public NumberedRequest numbered(String listId, SortedMap<String, String> filters, String limit, String cursor) {
        int size = parseLimit(limit);
        String fingerprint = CursorCodec.fingerprint(filters);
        Long after = null;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                after = Long.parseLong(codec.decode(cursor, listId, fingerprint));
            } catch (InvalidCursorException | NumberFormatException e) {
                String message = e instanceof InvalidCursorException ? e.getMessage() : "The cursor is malformed.";
                throw new BadRequest(BadRequest.DEFAULT_MESSAGE, List.of(new ErrorDetail("cursor", message)));
            }
        }
        return new NumberedRequest(listId, fingerprint, size, after, codec);
    }

    /** See {@link #numbered}; {@code after} is the position the previous page ended at, or null. */
    public record NumberedRequest(String listId, String fingerprint, int limit, Long after, CursorCodec codec) {

        public String cursorAt(long position) {
            return codec.encode(listId, fingerprint, Long.toString(position));
        }
    }

    public static SortedMap<String, String> filters(String... namesAndValues) {
        SortedMap<String, String> filters = new TreeMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                filters.put(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return filters;
    }

    private PageRequest request(String listId, SortedMap<String, String> filters, String limit, String cursor,
            boolean ascending) {
        int size = parseLimit(limit);
        String fingerprint = CursorCodec.fingerprint(filters);
        UUID after = null;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                after = UUID.fromString(codec.decode(cursor, listId, fingerprint));
            } catch (InvalidCursorException | IllegalArgumentException e) {
                String message = e instanceof InvalidCursorException ? e.getMessage() : "The cursor is malformed.";
                throw new BadRequest(BadRequest.DEFAULT_MESSAGE, List.of(new ErrorDetail("cursor", message)));
            }
        }
        return new PageRequest(listId, fingerprint, size, after, ascending, codec);
    }

    private static int parseLimit(String limit) {
        if (limit == null || limit.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadRequest(BadRequest.DEFAULT_MESSAGE,
                List.of(new ErrorDetail("limit", "Must be an integer from 1 to " + MAX_LIMIT + ".")));
    }
}
