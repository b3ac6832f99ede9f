package io.rimedata.connector.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.rimedata.connector.config.ConnectorTypes;
import io.rimedata.connector.source.SourceSpec;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What a runner receives about a connector when it leases a job: its type, configuration with the secrets in place
 * (the runner has to log in to the source) and table selection. Built only at lease time.
 */
@ApplicationScoped
public class RunnerPayloads {

    private final ObjectMapper json;

    RunnerPayloads(ObjectMapper json) {
        this.json = json;
    }

    public ObjectNode describe(SourceSpec spec, ObjectNode into) {
        ObjectNode config = spec.config().deepCopy();
        spec.secrets().forEach((path, value) -> ConnectorTypes.putAtPath(config, path, TextNode.valueOf(value)));
        into.put("type", spec.type());
        into.set("config", config);
        into.set("tables", json.valueToTree(spec.tables()));
        return into;
    }
}
