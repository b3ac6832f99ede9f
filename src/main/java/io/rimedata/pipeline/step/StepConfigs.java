package io.rimedata.pipeline.step;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The config of each step type (§7.1), read with the API's Jackson settings (unknown fields rejected) and checked
 * with Bean Validation, so a bad field is a 400 naming {@code steps[i].config.<field>}.
 */
public final class StepConfigs {

    private StepConfigs() {
    }

    /** An RFC 9110 token: what a header name may be (so no CR/LF can end the header early). */
    static final String HEADER_NAME = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    /** No C0 controls, DEL or C1 controls: text that goes onto a wire as-is. */
    static final String NO_CONTROLS = "[^\\p{Cntrl}\\x{80}-\\x{9F}]*";
    static final String NO_CONTROLS_MESSAGE = "Must not contain control characters (CR, LF, NUL or others).";

    /** The record a step type's config is read into. */
    public static Class<?> of(String type) {
        return switch (type) {
            case "extract" -> Extract.class;
            case "transform" -> Transform.class;
            case "validate" -> Validate.class;
            case "infrastructure" -> Infrastructure.class;
            case "webhook" -> Webhook.class;
            case "wait" -> Wait.class;
            default -> throw new IllegalArgumentException("Unknown step type " + type);
        };
    }

    @RegisterForReflection
    public record Extract(@NotNull UUID connectorId, @Size(max = 1000) List<@NotBlank @Size(max = 300) String> tables) {
    }

    @RegisterForReflection
    public record Transform(@NotNull UUID transformationId, @Size(max = 1000) List<@NotBlank @Size(max = 300) String> models) {
    }

    /** Either SQL checks against PostgreSQL connectors, or the tests of a transformation. */
    @RegisterForReflection
    public record Validate(@Size(min = 1, max = 100) List<@NotNull @Valid Check> checks, UUID transformationId) {
    }

    @RegisterForReflection
    public record Check(
            @NotBlank @Size(max = 200) String name,
            @NotNull UUID connectorId,
            @NotBlank @Size(max = CheckSql.MAX_LENGTH) String sql,
            @NotNull @Pattern(regexp = "no_rows|some_rows", message = "Must be no_rows or some_rows.") String expect) {
    }

    @RegisterForReflection
    public record Infrastructure(@NotNull @Pattern(regexp = "plan|apply", message = "Must be plan or apply.") String action) {
    }

    /**
     * {@code body} is a template: {@code {{pipeline_id}}}, {@code {{run_id}}}, {@code {{step_key}}} and
     * {@code {{attempt}}} are replaced; without one, a JSON object of those values is sent.
     */
    @RegisterForReflection
    public record Webhook(
            @NotBlank @Size(max = 2000) @Pattern(regexp = "https?://[^\\s\\p{Cntrl}\\x{80}-\\x{9F}]+",
                    message = "Must be an http(s) URL.") String url,
            @Pattern(regexp = "GET|POST|PUT|PATCH|DELETE", message = "Must be GET, POST, PUT, PATCH or DELETE.") String method,
            @Size(max = 50) Map<@NotBlank @Size(max = 200) @Pattern(regexp = HEADER_NAME,
                    message = "Must be an HTTP header name.") String,
                    @NotNull @Size(max = 4000) @Pattern(regexp = NO_CONTROLS, message = NO_CONTROLS_MESSAGE) String> headers,
            @Size(max = 100_000) String body,
            JsonNode signingSecret) {
    }

    @RegisterForReflection
    public record Wait(@NotNull @Min(0) @Max(86_400) Integer seconds) {
    }
}
