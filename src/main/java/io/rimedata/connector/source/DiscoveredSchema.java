package io.rimedata.connector.source;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Tables and columns found in a source. */
@Schema(name = "DiscoveredTables")
public record DiscoveredSchema(List<Table> tables) {

    @Schema(name = "DiscoveredTable")
    public record Table(String name, List<Column> columns) {
    }

    @Schema(name = "DiscoveredColumn")
    public record Column(String name, String type, boolean nullable) {
    }
}
