package io.rimedata.connector.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rimedata.platform.error.ErrorDetail;
import io.rimedata.platform.error.Unprocessable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Write-only secrets belong to the destination they were given for. A change of where a connector connects (host,
 * port, database, service name, instance/base URL, shop domain, OAuth token URL) would otherwise send the stored
 * password or token to a server the editor just chose, who never had to know it. Such a change must re-supply every
 * stored secret (or clear it with {@code null}); otherwise it is a 422 naming the secrets to re-supply.
 */
public final class SecretDestinations {

    /** Config fields that say where a connector's secrets are sent, as JSON pointers. */
    private static final List<String> DESTINATIONS = List.of("/host", "/port", "/database", "/service_name",
            "/instance_url", "/base_url", "/shop_domain", "/auth/token_url");

    private SecretDestinations() {
    }

    /** The destination fields that differ between two configs of a type, as {@code config.<path>}. */
    public static List<String> changed(String type, JsonNode before, JsonNode after) {
        List<String> changed = new ArrayList<>();
        for (String pointer : DESTINATIONS) {
            if ("mongodb".equals(type) && "/database".equals(pointer)) {
                continue; // the server is in the connection string, itself a secret
            }
            JsonNode a = before.at(pointer);
            JsonNode b = after.at(pointer);
            if (!Objects.equals(a.isMissingNode() ? null : a, b.isMissingNode() ? null : b)) {
                changed.add("config" + pointer.replace('/', '.'));
            }
        }
        return changed;
    }

    /**
     * Throws a 422 when the destination changed and a secret that was stored before is still stored now without
     * having been supplied again.
     */
    public static void requireResupplied(String type, ObjectNode before, ObjectNode after, Set<String> storedBefore,
            Set<String> storedAfter, Set<String> supplied) {
        List<String> changed = changed(type, before, after);
        if (changed.isEmpty()) {
            return;
        }
        Set<String> kept = new TreeSet<>(storedBefore);
        kept.retainAll(storedAfter);
        kept.removeAll(supplied);
        if (kept.isEmpty()) {
            return;
        }
        String fields = String.join(", ", changed);
        List<ErrorDetail> details = kept.stream().map(path -> new ErrorDetail(path, "Re-supply this secret (or clear it "
                + "with null): " + fields + " changed, and a stored secret is never sent to a new destination.")).toList();
        throw new Unprocessable("Changing " + fields + " needs the connector's secrets again: re-supply "
                + String.join(", ", kept) + ".", details);
    }
}
