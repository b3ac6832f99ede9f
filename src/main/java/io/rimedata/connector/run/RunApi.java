package io.rimedata.connector.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Records of connector runs (§4). */
public final class RunApi {

    private RunApi() {
    }

    /** A table's part of a run, as stored with the run and shown to clients. */
    @Schema(name = "ConnectorRunTable")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TableResult(String name, String status, long rowsExtracted, String error,
            @Schema(hidden = true) String cursorValue) {
    }

    @Schema(name = "ConnectorRunTableCounts")
    public record TableCounts(int attempted, int succeeded, int failed) {
    }

    @Schema(name = "ConnectorRun")
    public record RunView(UUID id, UUID connectorId, String trigger,
            @Schema(enumeration = { "running", "completed", "partially_failed", "failed", "skipped", "cancelled" }) String status,
            Instant startedAt, @Schema(nullable = true) Instant finishedAt, @Schema(nullable = true) Long durationMs,
            long totalRows, TableCounts tables, List<TableResult> tableResults, @Schema(nullable = true) String error) {
    }
}
