package io.rimedata.connector.config;

import static io.rimedata.connector.config.ConfigField.bool;
import static io.rimedata.connector.config.ConfigField.host;
import static io.rimedata.connector.config.ConfigField.integer;
import static io.rimedata.connector.config.ConfigField.object;
import static io.rimedata.connector.config.ConfigField.objects;
import static io.rimedata.connector.config.ConfigField.secret;
import static io.rimedata.connector.config.ConfigField.string;
import static io.rimedata.connector.config.ConfigField.strings;
import static io.rimedata.connector.config.ConfigField.url;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.platform.error.ErrorDetail;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The sixteen connector types of §4 and the configuration each one takes. */
public final class ConnectorTypes {

    private static final Map<String, List<ConfigField>> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("postgresql", List.of(host("host"), integer("port", 1, 65535).defaultsTo(5432),
                string("database").required(), string("username").required(), secret("password").required(),
                string("ssl_mode").oneOf("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
                        .defaultsTo("prefer")));
        TYPES.put("mysql", List.of(host("host"), integer("port", 1, 65535).defaultsTo(3306),
                string("database").required(), string("username").required(), secret("password").required(),
                string("ssl_mode").oneOf("disabled", "preferred", "required", "verify_ca", "verify_identity")
                        .defaultsTo("preferred")));
        TYPES.put("mssql", List.of(host("host"), integer("port", 1, 65535).defaultsTo(1433),
                string("database").required(), string("username").required(), secret("password").required(),
                bool("encrypt").defaultsTo(true)));
        TYPES.put("oracle", List.of(host("host"), integer("port", 1, 65535).defaultsTo(1521),
                string("service_name").required(), string("username").required(), secret("password").required()));
        TYPES.put("mongodb", List.of(secret("connection_string").required(), string("database").required()));
        TYPES.put("salesforce", List.of(url("instance_url").required(), string("client_id").required(),
                secret("client_secret").required(), secret("refresh_token").required()));
        TYPES.put("xero", List.of(string("xero_tenant_id").required(), string("client_id").required(),
                secret("client_secret").required()));
        TYPES.put("shopify", List.of(string("shop_domain").required(), secret("access_token").required()));
        TYPES.put("google_sheets", List.of(string("spreadsheet_id").required(),
                secret("service_account_json").multiline().required()));
        TYPES.put("jira", List.of(url("instance_url").required(), string("email").required(),
                secret("api_token").required(), strings("projects")));
        TYPES.put("github", List.of(string("organization").required(), secret("access_token").required(),
                strings("repositories")));
        TYPES.put("gitlab", List.of(url("base_url").defaultsTo("https://gitlab.com"), string("group").required(),
                secret("access_token").required()));
        TYPES.put("azure_devops", List.of(string("organization").required(), string("project").required(),
                secret("personal_access_token").required()));
        TYPES.put("rest_api", List.of(url("base_url").required(), restAuth(), restEndpoints()));
        TYPES.put("csv", List.of(string("delimiter").maxLength(1).multiline().defaultsTo(","),
                string("quote").maxLength(1).defaultsTo("\""), bool("header_row").defaultsTo(true),
                string("encoding").oneOf("UTF-8", "ISO-8859-1", "UTF-16", "windows-1252").defaultsTo("UTF-8"),
                strings("null_values"), integer("skip_rows", 0, 1_000_000).defaultsTo(0)));
        TYPES.put("json", List.of(string("records_path"),
                string("encoding").oneOf("UTF-8", "ISO-8859-1", "UTF-16").defaultsTo("UTF-8")));
    }

    private ConnectorTypes() {
    }

    private static ConfigField restAuth() {
        return object("auth", string("type").required()
                .oneOf("none", "api_key", "bearer", "basic", "oauth2_client_credentials"))
                .variants("type", Map.of(
                        "api_key", List.of(string("header_name").defaultsTo("X-API-Key"), secret("value").required()),
                        "bearer", List.of(secret("token").required()),
                        "basic", List.of(string("username").required(), secret("password").required()),
                        "oauth2_client_credentials", List.of(url("token_url").required(), string("client_id").required(),
                                secret("client_secret").required(), string("scope"))));
    }

    private static ConfigField restEndpoints() {
        ConfigField pagination = object("pagination", string("type").required()
                .oneOf("none", "page", "offset", "cursor", "link_header"))
                .variants("type", Map.of(
                        "page", List.of(string("page_param").defaultsTo("page"), string("size_param").defaultsTo("per_page"),
                                integer("page_size", 1, 10_000).defaultsTo(100)),
                        "offset", List.of(string("offset_param").defaultsTo("offset"),
                                string("limit_param").defaultsTo("limit"), integer("page_size", 1, 10_000).defaultsTo(100)),
                        "cursor", List.of(string("cursor_param").defaultsTo("cursor"),
                                string("next_cursor_path").required())));
        return objects("endpoints", string("path").required(), string("name"),
                string("method").oneOf("GET", "POST").defaultsTo("GET"), string("records_path"), pagination).required();
    }

    public static Set<String> names() {
        return TYPES.keySet();
    }

    public static boolean exists(String type) {
        return TYPES.containsKey(type);
    }

    /**
     * Validates a connector's config for its type. Returns the public part with defaults. Secret values found in
     * {@code config} are added to {@code secrets} by path ({@code config.password}); secrets already there satisfy
     * required fields; on return {@code secrets} keeps only the paths this config still declares. Problems are added
     * to {@code errors}.
     */
    public static ObjectNode validate(String type, JsonNode config, Map<String, String> secrets, List<ErrorDetail> errors) {
        io.rimedata.platform.json.Text.requireStorable(config, "config");
        Set<String> live = new java.util.HashSet<>();
        ObjectNode valid = ConfigField.validate("config", config, TYPES.get(type), secrets, live, errors);
        secrets.keySet().retainAll(live);
        return valid;
    }

    /** Puts {@code value} at a secret's path ({@code config.auth.password}) inside {@code config}. */
    public static void putAtPath(ObjectNode config, String secretPath, JsonNode value) {
        ObjectNode parent = config;
        String[] parts = secretPath.substring("config.".length()).split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parent.withObjectProperty(parts[i]);
        }
        parent.set(parts[parts.length - 1], value);
    }

    /** The paths of every secret field a type can have (variants included). */
    public static boolean isSecretPath(String type, String path) {
        return secretPaths("config", TYPES.get(type)).contains(path.replaceAll("\\[\\d+]", "[]"));
    }

    private static Set<String> secretPaths(String prefix, List<ConfigField> fields) {
        Set<String> paths = new java.util.HashSet<>();
        for (ConfigField f : fields) {
            String path = prefix + "." + f.name + (f.kind == ConfigField.Kind.OBJECT_ARRAY ? "[]" : "");
            if (f.secret) {
                paths.add(path);
            }
            paths.addAll(secretPaths(path, f.children));
            f.variants.values().forEach(v -> paths.addAll(secretPaths(path, v)));
        }
        return paths;
    }
}
