package io.rimedata.connector.file;

import com.fasterxml.jackson.databind.JsonNode;
import io.rimedata.connector.source.DiscoveredSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Infers columns from JSON records (uploaded JSON files, REST API responses): the union of their top-level fields,
 * scalars typed by {@link TypeInference}, nested objects and arrays as {@code json}.
 */
public final class RecordProfiler {

    private final Map<String, TypeInference.Column> columns = new LinkedHashMap<>();
    private final Set<String> structured = new HashSet<>();
    private long records;

    public void accept(JsonNode record) throws IOException {
        if (!record.isObject()) {
            throw new IOException("Record " + (records + 1) + " is not a JSON object");
        }
        records++;
        record.fields().forEachRemaining(field -> {
            TypeInference.Column column = columns.computeIfAbsent(field.getKey(), k -> new TypeInference.Column());
            JsonNode value = field.getValue();
            if (value.isContainerNode()) {
                structured.add(field.getKey());
            } else if (!value.isNull()) {
                column.accept(value.asText());
            }
        });
    }

    public long records() {
        return records;
    }

    public List<DiscoveredSchema.Column> columns() {
        List<DiscoveredSchema.Column> result = new ArrayList<>();
        columns.forEach((name, column) -> result.add(new DiscoveredSchema.Column(name,
                structured.contains(name) ? "json" : column.type(), true)));
        return result;
    }
}
