package io.rimedata.connector.source;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.connector.rest.ConnectorApi;
import java.util.List;
import java.util.Map;

/** What a driver needs to reach a source: the type, its configuration with secrets opened, and the table selection. */
public record SourceSpec(String type, ObjectNode config, Map<String, String> secrets,
        List<ConnectorApi.TableSelection> tables) {

    public String text(String field) {
        return config.path(field).asText(null);
    }

    public String secret(String field) {
        return secrets.get("config." + field);
    }
}
