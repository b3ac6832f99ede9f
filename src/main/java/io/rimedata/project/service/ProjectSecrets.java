package io.rimedata.project.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.platform.error.BadRequest;
import io.rimedata.project.rest.ProjectApi.AwsInput;
import io.rimedata.project.rest.ProjectApi.AwsView;
import io.rimedata.project.rest.ProjectApi.SecretState;
import io.rimedata.project.rest.ProjectApi.SettingsInput;
import io.rimedata.project.rest.ProjectApi.SettingsView;
import io.rimedata.project.rest.ProjectApi.SnowflakeInput;
import io.rimedata.project.rest.ProjectApi.SnowflakeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Which project settings are secrets, and how they are split from, patched into and shown beside the rest. */
final class ProjectSecrets {

    static final String SNOWFLAKE_PASSWORD = "snowflake.password";
    static final String SNOWFLAKE_PRIVATE_KEY = "snowflake.private_key";
    static final String AWS_SECRET_ACCESS_KEY = "aws.secret_access_key";
    static final List<String> PATHS = List.of(SNOWFLAKE_PASSWORD, SNOWFLAKE_PRIVATE_KEY, AWS_SECRET_ACCESS_KEY);
    /** The same limits as the {@code @Size} of the input records, which a patch bypasses by taking secrets out first. */
    private static final Map<String, Integer> MAX_LENGTH = Map.of(SNOWFLAKE_PASSWORD, 1000, SNOWFLAKE_PRIVATE_KEY, 20000,
            AWS_SECRET_ACCESS_KEY, 200);

    private ProjectSecrets() {
    }

    static Map<String, String> fromInput(SettingsInput s) {
        Map<String, String> secrets = new TreeMap<>();
        if (s.snowflake() != null) {
            putIfPresent(secrets, SNOWFLAKE_PASSWORD, s.snowflake().password());
            putIfPresent(secrets, SNOWFLAKE_PRIVATE_KEY, s.snowflake().privateKey());
        }
        if (s.aws() != null) {
            putIfPresent(secrets, AWS_SECRET_ACCESS_KEY, s.aws().secretAccessKey());
        }
        return secrets;
    }

    static SettingsInput withoutSecrets(SettingsInput s) {
        SnowflakeInput sf = s.snowflake() == null ? null
                : new SnowflakeInput(s.snowflake().account(), s.snowflake().authMethod(), s.snowflake().username(), null, null);
        AwsInput aws = s.aws() == null ? null
                : new AwsInput(s.aws().region(), s.aws().accessMethod(), s.aws().roleArn(), s.aws().accessKeyId(), null);
        return new SettingsInput(s.defaultTimezone(), sf, aws, s.driftDetection());
    }

    /**
     * Moves the secret members out of a merge patch into {@code secrets}: a string sets, {@code null} clears; a
     * {@code null} section ({@code settings} or {@code settings.snowflake}) clears the secrets under it.
     */
    static Set<String> applyPatch(ObjectNode patch, Map<String, String> secrets) {
        Set<String> supplied = new java.util.TreeSet<>();
        JsonNode settings = patch.get("settings");
        if (settings == null) {
            return supplied;
        }
        if (settings.isNull()) {
            secrets.clear();
            return supplied;
        }
        if (!settings.isObject()) {
            return supplied; // rejected as a type error when the merged document is read
        }
        for (String section : List.of("snowflake", "aws")) {
            JsonNode node = settings.get(section);
            if (node == null) {
                continue;
            }
            if (node.isNull()) {
                secrets.keySet().removeIf(path -> path.startsWith(section + "."));
                continue;
            }
            if (!node.isObject()) {
                continue;
            }
            for (String path : PATHS) {
                if (!path.startsWith(section + ".")) {
                    continue;
                }
                String field = path.substring(section.length() + 1);
                JsonNode value = node.get(field);
                if (value == null) {
                    continue;
                }
                if (value.isNull()) {
                    secrets.remove(path);
                } else if (value.isTextual() && !value.asText().isEmpty() && value.asText().length() <= MAX_LENGTH.get(path)) {
                    secrets.put(path, value.asText());
                    supplied.add(path);
                } else {
                    throw BadRequest.field("settings." + path, "Must be a string of 1 to " + MAX_LENGTH.get(path)
                            + " characters, or null to clear it.");
                }
                ((ObjectNode) node).remove(field);
            }
        }
        return supplied;
    }

    /**
     * A stored Snowflake secret is never sent to another account: changing the account means supplying the secrets
     * again in the same patch. Answers the secret paths that would otherwise go to the new account.
     */
    static List<String> notResupplied(SettingsInput before, SettingsInput after, Map<String, String> secrets,
            Set<String> supplied) {
        if (before == null || before.snowflake() == null || after.snowflake() == null
                || java.util.Objects.equals(before.snowflake().account(), after.snowflake().account())) {
            return List.of();
        }
        return secrets.keySet().stream().filter(path -> path.startsWith("snowflake.") && !supplied.contains(path)).toList();
    }

    /** Secrets whose section was removed go with it. */
    static void dropOrphans(SettingsInput s, Map<String, String> secrets) {
        if (s.snowflake() == null) {
            secrets.keySet().removeIf(path -> path.startsWith("snowflake."));
        }
        if (s.aws() == null) {
            secrets.keySet().removeIf(path -> path.startsWith("aws."));
        }
    }

    /** Secret paths the chosen methods require but that are not set. */
    static List<String> missing(SettingsInput s, Map<String, String> secrets) {
        List<String> missing = new ArrayList<>();
        if (s.snowflake() != null) {
            if ("password".equals(s.snowflake().authMethod()) && !secrets.containsKey(SNOWFLAKE_PASSWORD)) {
                missing.add(SNOWFLAKE_PASSWORD);
            }
            if ("key_pair".equals(s.snowflake().authMethod()) && !secrets.containsKey(SNOWFLAKE_PRIVATE_KEY)) {
                missing.add(SNOWFLAKE_PRIVATE_KEY);
            }
        }
        if (s.aws() != null && "access_key".equals(s.aws().accessMethod()) && !secrets.containsKey(AWS_SECRET_ACCESS_KEY)) {
            missing.add(AWS_SECRET_ACCESS_KEY);
        }
        return missing;
    }

    static SettingsView view(SettingsInput s, Set<String> secretPaths) {
        SnowflakeView sf = s.snowflake() == null ? null : new SnowflakeView(s.snowflake().account(),
                s.snowflake().authMethod(), s.snowflake().username(), state(secretPaths, SNOWFLAKE_PASSWORD),
                state(secretPaths, SNOWFLAKE_PRIVATE_KEY));
        AwsView aws = s.aws() == null ? null : new AwsView(s.aws().region(), s.aws().accessMethod(), s.aws().roleArn(),
                s.aws().accessKeyId(), state(secretPaths, AWS_SECRET_ACCESS_KEY));
        return new SettingsView(s.defaultTimezone(), sf, aws, s.driftDetection());
    }

    private static SecretState state(Set<String> paths, String path) {
        return paths.contains(path) ? SecretState.SET : null;
    }

    private static void putIfPresent(Map<String, String> secrets, String path, String value) {
        if (value != null) {
            secrets.put(path, value);
        }
    }
}
