package io.rimedata.project.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rimedata.platform.validation.IanaTimeZone;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Records of the projects API (§3). Secrets are write-only: inputs take strings, views show {@code {"set": true}}. */
public final class ProjectApi {

    private ProjectApi() {
    }

    @Schema(name = "ProjectInput", description = "A project as written by POST, and the document a PATCH merge patch applies to.")
    public record ProjectInput(
            @NotBlank @Size(max = 100) @Schema(examples = "Sales analytics") String name,
            @Size(max = 2000) String description,
            @Valid SettingsInput settings) {
    }

    @Schema(name = "ProjectSettingsInput")
    public record SettingsInput(
            @IanaTimeZone @Schema(examples = "Pacific/Auckland", defaultValue = "Pacific/Auckland") String defaultTimezone,
            @Valid SnowflakeInput snowflake,
            @Valid AwsInput aws,
            @Valid DriftInput driftDetection) {
    }

    @Schema(name = "SnowflakeSettingsInput")
    public record SnowflakeInput(
            @NotBlank @Size(max = 255) @Pattern(regexp = "[A-Za-z0-9_.-]+", message = "Must be a Snowflake account identifier.")
            String account,
            @NotNull @Pattern(regexp = "password|key_pair", message = "Must be password or key_pair.") String authMethod,
            @NotBlank @Size(max = 255) String username,
            @Size(min = 1, max = 1000) @Schema(description = "Write-only secret.", writeOnly = true) String password,
            @Size(min = 1, max = 20000) @Schema(description = "Write-only secret (PEM).", writeOnly = true) String privateKey) {
    }

    @Schema(name = "AwsSettingsInput")
    public record AwsInput(
            @NotBlank @Pattern(regexp = "[a-z]{2}(-gov)?-[a-z]+-\\d", message = "Must be an AWS region such as ap-southeast-2.")
            String region,
            @NotNull @Pattern(regexp = "role|access_key", message = "Must be role or access_key.") String accessMethod,
            @Pattern(regexp = "arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}", message = "Must be an IAM role ARN.")
            String roleArn,
            @Pattern(regexp = "(AKIA|ASIA)[A-Z0-9]{16}", message = "Must be an AWS access key id.") String accessKeyId,
            @Size(min = 1, max = 200) @Schema(description = "Write-only secret.", writeOnly = true) String secretAccessKey) {
    }

    @Schema(name = "DriftDetectionInput")
    public record DriftInput(
            @NotNull Boolean enabled,
            @Size(max = 200) @Pattern(regexp = "\\S+( \\S+){4}( \\| \\S+( \\S+){4})*", message = "Must be a 5-field cron expression.")
            String schedule) {
    }

    /** A write-only secret as shown in responses. */
    @Schema(name = "SecretState")
    public record SecretState(boolean set) {
        public static final SecretState SET = new SecretState(true);
    }

    @Schema(name = "Project")
    public record ProjectView(UUID id, String name, String description, SettingsView settings, UUID createdBy,
            Instant createdAt, Instant updatedAt) {
    }

    @Schema(name = "ProjectSettings")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SettingsView(String defaultTimezone, SnowflakeView snowflake, AwsView aws, DriftInput driftDetection) {
    }

    @Schema(name = "SnowflakeSettings")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SnowflakeView(String account, String authMethod, String username, SecretState password,
            SecretState privateKey) {
    }

    @Schema(name = "AwsSettings")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AwsView(String region, String accessMethod, String roleArn, String accessKeyId,
            SecretState secretAccessKey) {
    }
}
