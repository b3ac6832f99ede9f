package io.rimedata.platform.http;

import io.rimedata.platform.error.BadRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** RFC 7396 JSON merge patch: absent = unchanged, {@code null} = remove, objects merge recursively. */
public final class JsonMergePatch {

    private JsonMergePatch() {
    }

    /**
     * Checks a client's patch before anything is taken from it: a JSON object whose text can be stored; otherwise a
     * 400. Services call this first, since some move secrets out of the patch before merging it.
     */
    public static ObjectNode require(JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            throw new BadRequest("The body must be a JSON object (a JSON merge patch).");
        }
        io.rimedata.platform.json.Text.requireStorable(patch, "");
        return (ObjectNode) patch;
    }

    /** Applies a patch (checked with {@link #require}) to the server's document. */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        return merge(target, patch);
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : ((ObjectNode) patch).objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }
}
