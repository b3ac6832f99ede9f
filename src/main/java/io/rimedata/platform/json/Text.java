package io.rimedata.platform.json;

/** What text the server accepts: valid Unicode, without U+0000 (which PostgreSQL's text type cannot hold). */
public final class Text {

    static final String PROBLEM = "Text must be valid Unicode without the character U+0000.";

    private Text() {
    }

    public static boolean storable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Fails with a 400 naming the first string (value or key) in the tree that cannot be stored. */
    public static void requireStorable(com.fasterxml.jackson.databind.JsonNode node, String path) {
        if (node == null) {
            return;
        }
        if (node.isTextual() && !storable(node.asText())) {
            throw io.rimedata.platform.error.BadRequest.field(path.isEmpty() ? "$" : path, PROBLEM);
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireStorable(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (!storable(field.getKey())) {
                    throw io.rimedata.platform.error.BadRequest.field(path.isEmpty() ? "$" : path, PROBLEM);
                }
                requireStorable(field.getValue(), at);
            }
        }
    }
}
