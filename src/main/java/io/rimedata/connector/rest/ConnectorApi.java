package io.rimedata.connector.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.platform.schedule.ScheduleSpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Records of {@code /projects/{id}/connectors} (§4). */
public final class ConnectorApi {

    static final String TYPES = "postgresql|mysql|mssql|mongodb|oracle|salesforce|xero|shopify|google_sheets|jira|github"
            + "|gitlab|azure_devops|rest_api|csv|json";

    private ConnectorApi() {
    }

    @Schema(name = "ConnectorInput", description = "A connector as written by POST, and the document a PATCH merge patch applies to.")
    public record ConnectorInput(
            @NotBlank @Size(max = 100) String name,
            @NotNull @Pattern(regexp = TYPES, message = "Must be one of the 16 connector types.") String type,
            @Schema(type = SchemaType.OBJECT, description = "Per type; secret fields are write-only.") JsonNode config,
            @Valid List<@Valid @NotNull TableSelection> tables,
            @Valid ScheduleSpec schedule,
            @Pattern(regexp = "active|paused", message = "Must be active or paused.") String status) {
    }

    @Schema(name = "TableSelection")
    public record TableSelection(
            @NotBlank @Size(max = 300) @Pattern(regexp = NO_CONTROLS, message = NO_CONTROLS_MESSAGE) String name,
            List<@NotBlank @Size(max = 200) @Pattern(regexp = NO_CONTROLS, message = NO_CONTROLS_MESSAGE) String> excludedColumns,
            @Pattern(regexp = "full|incremental", message = "Must be full or incremental.") String syncMode,
            @Size(max = 200) @Pattern(regexp = NO_CONTROLS, message = NO_CONTROLS_MESSAGE) String cursorColumn) {
    }

    /** Names sent to the source as identifiers: no C0 controls, DEL or C1 controls. */
    static final String NO_CONTROLS = "[^\\p{Cntrl}\\x{80}-\\x{9F}]*";
    static final String NO_CONTROLS_MESSAGE = "Must not contain control characters (CR, LF, NUL or others).";

    @Schema(name = "Connector")
    public record ConnectorView(UUID id, UUID projectId, String name, String type,
            @Schema(type = SchemaType.OBJECT) ObjectNode config, List<TableSelection> tables, ScheduleSpec schedule,
            String status, @Schema(nullable = true) JsonNode lastRun, UUID createdBy, Instant createdAt,
            Instant updatedAt) {
    }

    @Schema(name = "ConnectorSchema")
    public record SchemaView(UUID connectorId, Instant discoveredAt,
            List<io.rimedata.connector.source.DiscoveredSchema.Table> tables) {
    }

    @Schema(name = "NextFireTimes")
    public record NextFires(String timezone, List<Instant> next) {
    }
}
