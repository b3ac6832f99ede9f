package io.rimedata.audit.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code changes} of an audit entry: {@code {"settings.snowflake.account": {"before": …, "after": …}}} for each
 * leaf that differs between two documents. Objects are walked field by field (a missing field and JSON null are the
 * same: absent); anything else (text, number, array, a secret) is compared as one value.
 *
 * <p>Secrets never appear: a value at one of the given secret paths, and any write-only marker
 * {@code {"set": true}}, is reported as {@value #REDACTED} (or null when absent), so a changed secret shows that it
 * changed and nothing else. Field names are joined with dots unescaped; our documents use snake_case names.
 */
public final class AuditChanges {

    public static final String REDACTED = "[redacted]";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper PLAIN = new ObjectMapper();
    /** 1 and 1.0 are the same number; everything else compares by Jackson's equality. */
    private static final Comparator<JsonNode> SAME = (x, y) -> x.isNumber() && y.isNumber()
            ? x.decimalValue().compareTo(y.decimalValue())
            : x.equals(y) ? 0 : 1;

    private AuditChanges() {
    }

    /**
     * Changes from {@code before} to {@code after}; either may be null (a creation, a deletion). The result is empty
     * when nothing differs.
     */
    public static ObjectNode between(JsonNode before, JsonNode after, Set<String> secretPaths) {
        ObjectNode out = NODES.objectNode();
        walk("", present(before), present(after), secretPaths, out);
        return out;
    }

    /** The same for documents given as maps of JSON-like values (strings, numbers, booleans, lists, maps). */
    public static ObjectNode between(Map<String, ?> before, Map<String, ?> after, Set<String> secretPaths) {
        JsonNode beforeTree = before == null ? null : PLAIN.valueToTree(before);
        JsonNode afterTree = after == null ? null : PLAIN.valueToTree(after);
        return between(beforeTree, afterTree, secretPaths);
    }

    private static void walk(String path, JsonNode before, JsonNode after, Set<String> secrets, ObjectNode out) {
        boolean secret = secrets.contains(path);
        if (!secret && (isBranch(before) || isBranch(after))
                && (before == null || isBranch(before)) && (after == null || isBranch(after))) {
            Set<String> names = new LinkedHashSet<>();
            fieldNames(before, names);
            fieldNames(after, names);
            for (String name : names) {
                String child = path.isEmpty() ? name : path + "." + name;
                walk(child, field(before, name), field(after, name), secrets, out);
            }
            return;
        }
        if (same(before, after)) {
            return;
        }
        ObjectNode change = out.putObject(path.isEmpty() ? "$" : path);
        change.set("before", redact(path, before, secrets));
        change.set("after", redact(path, after, secrets));
    }

    private static boolean same(JsonNode before, JsonNode after) {
        if (before == null || after == null) {
            return before == after;
        }
        return before.equals(SAME, after);
    }

    /** A copy of {@code value} with every secret it holds replaced; JSON null for an absent value. */
    private static JsonNode redact(String path, JsonNode value, Set<String> secrets) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (secrets.contains(path) || isMarker(value)) {
            return NODES.textNode(REDACTED);
        }
        if (value.isObject()) {
            ObjectNode copy = NODES.objectNode();
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                copy.set(field.getKey(), redact(child, field.getValue(), secrets));
            }
            return copy;
        }
        if (value.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            for (int i = 0; i < value.size(); i++) {
                copy.add(redact(path + "[" + i + "]", value.get(i), secrets));
            }
            return copy;
        }
        return value;
    }

    /** An object that is walked field by field: any object but a write-only secret marker. */
    private static boolean isBranch(JsonNode node) {
        return node != null && node.isObject() && !isMarker(node);
    }

    /** {@code {"set": true}}: how responses show a write-only secret. */
    private static boolean isMarker(JsonNode node) {
        return node.isObject() && node.size() == 1 && node.path("set").isBoolean();
    }

    private static JsonNode field(JsonNode node, String name) {
        return node == null ? null : present(node.get(name));
    }

    private static void fieldNames(JsonNode node, Set<String> names) {
        if (node != null) {
            node.properties().forEach(field -> names.add(field.getKey()));
        }
    }

    private static JsonNode present(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }
}
