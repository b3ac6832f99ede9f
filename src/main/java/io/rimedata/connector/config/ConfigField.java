package io.rimedata.connector.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.platform.error.ErrorDetail;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One field of a connector type's configuration: its JSON kind, whether it is required or secret, and its bounds.
 * Types are declared as lists of these (see {@link ConnectorTypes}), and one validator walks them all.
 */
public final class ConfigField {

    public enum Kind { STRING, INTEGER, BOOLEAN, STRING_ARRAY, OBJECT, OBJECT_ARRAY }

    private static final Pattern URL = Pattern.compile("https?://[^\\s/$.?#][^\\s]*");
    /** A DNS name or IPv4 literal, or an IPv6 literal with or without brackets; the egress policy judges what it means. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[?[0-9A-Fa-f:.]{2,45}]?");

    final String name;
    final Kind kind;
    boolean required;
    boolean secret;
    JsonNode defaultValue;
    Set<String> allowed;
    Pattern pattern;
    String patternMessage;
    long min = Long.MIN_VALUE;
    long max = Long.MAX_VALUE;
    int maxLength = 1000;
    /** Whether TAB, LF and CR may appear (text that is never sent on a wire as-is); other controls never may. */
    boolean multiline;
    List<ConfigField> children = List.of();
    /** For objects whose fields depend on a "type" member: the extra fields per value of that member. */
    Map<String, List<ConfigField>> variants = Map.of();
    String discriminator;

    private ConfigField(String name, Kind kind) {
        this.name = name;
        this.kind = kind;
    }

    public static ConfigField string(String name) {
        return new ConfigField(name, Kind.STRING);
    }

    public static ConfigField integer(String name, long min, long max) {
        ConfigField f = new ConfigField(name, Kind.INTEGER);
        f.min = min;
        f.max = max;
        return f;
    }

    public static ConfigField bool(String name) {
        return new ConfigField(name, Kind.BOOLEAN);
    }

    public static ConfigField strings(String name) {
        return new ConfigField(name, Kind.STRING_ARRAY);
    }

    public static ConfigField object(String name, ConfigField... children) {
        ConfigField f = new ConfigField(name, Kind.OBJECT);
        f.children = List.of(children);
        return f;
    }

    public static ConfigField objects(String name, ConfigField... children) {
        ConfigField f = new ConfigField(name, Kind.OBJECT_ARRAY);
        f.children = List.of(children);
        return f;
    }

    /** A string the API never returns: stored sealed, shown as {@code {"set": true}}. */
    public static ConfigField secret(String name) {
        ConfigField f = string(name);
        f.secret = true;
        f.maxLength = 20_000;
        return f;
    }

    public static ConfigField host(String name) {
        return string(name).matching(HOST, "Must be a host name or IP address.").required();
    }

    public static ConfigField url(String name) {
        return string(name).matching(URL, "Must be an http(s) URL.");
    }

    public ConfigField required() {
        required = true;
        return this;
    }

    public ConfigField defaultsTo(Object value) {
        defaultValue = value instanceof Integer i ? JsonNodeFactory.instance.numberNode(i)
                : value instanceof Boolean b ? JsonNodeFactory.instance.booleanNode(b)
                : JsonNodeFactory.instance.textNode(value.toString());
        return this;
    }

    public ConfigField oneOf(String... values) {
        allowed = Set.of(values);
        return this;
    }

    public ConfigField matching(Pattern regex, String message) {
        pattern = regex;
        patternMessage = message;
        return this;
    }

    /** Allows TAB, LF and CR in this string (a pasted JSON key file, a CSV delimiter); other controls stay refused. */
    public ConfigField multiline() {
        multiline = true;
        return this;
    }

    /**
     * Whether {@code text} holds a character that could break out of the protocol it is sent on (a CR/LF that ends a
     * header or a Redis command, a NUL that ends a PostgreSQL startup field): C0 controls, DEL and C1 controls.
     */
    static boolean hasControl(String text, boolean allowLineBreaks) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 || (c >= 0x7F && c <= 0x9F))
                    && !(allowLineBreaks && (c == '\t' || c == '\n' || c == '\r'))) {
                return true;
            }
        }
        return false;
    }

    static final String CONTROL_MESSAGE = "Must not contain control characters (CR, LF, NUL or others).";

    public ConfigField maxLength(int length) {
        maxLength = length;
        return this;
    }

    /** Object whose extra fields depend on the value of its {@code discriminator} member. */
    public ConfigField variants(String discriminatorField, Map<String, List<ConfigField>> byValue) {
        discriminator = discriminatorField;
        variants = new LinkedHashMap<>(byValue);
        return this;
    }

    /**
     * Validates {@code node} against these fields, collecting every problem with its path, and splits the result:
     * secrets move to {@code secrets} (keyed by path), the rest (with defaults applied) is returned.
     */
    static ObjectNode validate(String path, JsonNode node, List<ConfigField> fields, Map<String, String> secrets,
            Set<String> liveSecrets, List<ErrorDetail> errors) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (node == null || node.isNull()) {
            node = JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            errors.add(new ErrorDetail(path, "Must be an object."));
            return out;
        }
        Map<String, ConfigField> known = new LinkedHashMap<>();
        fields.forEach(f -> known.put(f.name, f));
        node.fieldNames().forEachRemaining(name -> {
            if (!known.containsKey(name)) {
                errors.add(new ErrorDetail(path + "." + name, "Unknown field."));
            }
        });
        for (ConfigField field : fields) {
            field.check(path + "." + field.name, node.get(field.name), out, secrets, liveSecrets, errors);
        }
        return out;
    }

    private void check(String path, JsonNode value, ObjectNode out, Map<String, String> secrets, Set<String> liveSecrets,
            List<ErrorDetail> errors) {
        if (secret) {
            liveSecrets.add(path);
        }
        if (value == null || value.isNull()) {
            if (defaultValue != null) {
                out.set(name, defaultValue);
            } else if (required && !(secret && secrets.containsKey(path))) {
                errors.add(new ErrorDetail(path, "Required."));
            }
            return;
        }
        switch (kind) {
            case STRING -> {
                if (!value.isTextual()) {
                    errors.add(new ErrorDetail(path, "Must be a string."));
                } else if (value.asText().isEmpty() || value.asText().length() > maxLength) {
                    errors.add(new ErrorDetail(path, "Must be 1 to " + maxLength + " characters."));
                } else if (hasControl(value.asText(), multiline)) {
                    errors.add(new ErrorDetail(path, CONTROL_MESSAGE));
                } else if (allowed != null && !allowed.contains(value.asText())) {
                    errors.add(new ErrorDetail(path, "Must be one of " + String.join(", ", allowed.stream().sorted().toList()) + "."));
                } else if (pattern != null && !pattern.matcher(value.asText()).matches()) {
                    errors.add(new ErrorDetail(path, patternMessage));
                } else if (secret) {
                    secrets.put(path, value.asText());
                } else {
                    out.set(name, value);
                }
            }
            case INTEGER -> {
                if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
                    errors.add(new ErrorDetail(path, "Must be an integer from " + min + " to " + max + "."));
                } else {
                    out.set(name, value);
                }
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    errors.add(new ErrorDetail(path, "Must be a boolean."));
                } else {
                    out.set(name, value);
                }
            }
            case STRING_ARRAY -> {
                if (!value.isArray()) {
                    errors.add(new ErrorDetail(path, "Must be an array of strings."));
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    if (!value.get(i).isTextual() || value.get(i).asText().length() > maxLength) {
                        errors.add(new ErrorDetail(path + "[" + i + "]", "Must be a string."));
                    } else if (hasControl(value.get(i).asText(), multiline)) {
                        errors.add(new ErrorDetail(path + "[" + i + "]", CONTROL_MESSAGE));
                    }
                }
                out.set(name, value);
            }
            case OBJECT -> out.set(name, checkObject(path, value, secrets, liveSecrets, errors));
            case OBJECT_ARRAY -> {
                if (!value.isArray() || value.isEmpty()) {
                    errors.add(new ErrorDetail(path, "Must be a non-empty array of objects."));
                    return;
                }
                var array = out.putArray(name);
                for (int i = 0; i < value.size(); i++) {
                    array.add(checkObject(path + "[" + i + "]", value.get(i), secrets, liveSecrets, errors));
                }
            }
        }
    }

    private ObjectNode checkObject(String path, JsonNode value, Map<String, String> secrets, Set<String> liveSecrets,
            List<ErrorDetail> errors) {
        List<ConfigField> all = new ArrayList<>(children);
        if (discriminator != null && value.isObject() && value.path(discriminator).isTextual()) {
            all.addAll(variants.getOrDefault(value.path(discriminator).asText(), List.of()));
        }
        return validate(path, value, all, secrets, liveSecrets, errors);
    }
}
