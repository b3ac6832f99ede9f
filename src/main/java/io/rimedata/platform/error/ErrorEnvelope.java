package io.rimedata.platform.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of every error response (§1.1). */
@RegisterForReflection
@Schema(name = "Error", description = "The error envelope returned with every 4xx and 5xx response.")
public record ErrorEnvelope(Body error) {

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @Schema(name = "ErrorBody")
    public record Body(
            @Schema(description = "Stable machine-readable code.", examples = "validation_error") String code,
            @Schema(description = "Human-readable message; never contains internals.") String message,
            @Schema(description = "Field-level problems for validation errors.") List<ErrorDetail> details,
            @Schema(description = "The request id, also sent as the X-Request-Id header.", examples = "req_01JDZ3Q8W6G5V9M2K7T4N1B0XC") String requestId) {
    }

    public static ErrorEnvelope of(String code, String message, List<ErrorDetail> details, String requestId) {
        return new ErrorEnvelope(new Body(code, message, details == null ? List.of() : details, requestId));
    }
}
