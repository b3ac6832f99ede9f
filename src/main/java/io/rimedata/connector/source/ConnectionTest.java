package io.rimedata.connector.source;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The result of {@code POST …/test} (§4). */
@Schema(name = "ConnectionTest")
public record ConnectionTest(boolean success, List<Check> checks, long durationMs) {

    @Schema(name = "ConnectionCheck")
    public record Check(
            @Schema(enumeration = { "reachability", "authentication", "read_permission" }) String name,
            @Schema(enumeration = { "passed", "failed", "skipped" }) String status,
            String message) {

        public static Check passed(String name, String message) {
            return new Check(name, "passed", message);
        }

        public static Check failed(String name, String message) {
            return new Check(name, "failed", message);
        }

        public static Check skipped(String name, String message) {
            return new Check(name, "skipped", message);
        }
    }

    public static ConnectionTest of(List<Check> checks, long durationMs) {
        return new ConnectionTest(checks.stream().allMatch(c -> c.status().equals("passed")), checks, durationMs);
    }
}
