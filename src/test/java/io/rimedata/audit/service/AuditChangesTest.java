package io.rimedata.audit.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

class AuditChangesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> SNOWFLAKE_SECRET = Set.of("settings.snowflake.password");

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ObjectNode change(Object before, Object after) {
        ObjectNode change = NODES.objectNode();
        change.set("before", JSON.valueToTree(before));
        change.set("after", JSON.valueToTree(after));
        return change;
    }

    // ---- examples ---------------------------------------------------------------------------------------------

    @Test
    void identicalDocumentsHaveNoChanges() {
        ObjectNode doc = json("{'name':'Sales','settings':{'snowflake':{'account':'a1','password':'p'}}}");

        assertTrue(AuditChanges.between(doc, doc.deepCopy(), SNOWFLAKE_SECRET).isEmpty());
    }

    @Test
    void reportsOnlyChangedLeavesByDottedPath() {
        ObjectNode before = json("{'name':'Sales','settings':{'default_timezone':'UTC','snowflake':{'account':'a1','username':'u'}}}");
        ObjectNode after = json("{'name':'Sales','settings':{'default_timezone':'UTC','snowflake':{'account':'a2','username':'u'}}}");

        ObjectNode changes = AuditChanges.between(before, after, Set.of());

        assertEquals(json("{'settings.snowflake.account':{'before':'a1','after':'a2'}}"), changes);
    }

    @Test
    void creationReportsEveryFieldFromNull() {
        ObjectNode changes = AuditChanges.between(null, json("{'name':'Sales','settings':{'default_timezone':'UTC'}}"),
                Set.of());

        assertEquals(json("{'name':{'before':null,'after':'Sales'},"
                + "'settings.default_timezone':{'before':null,'after':'UTC'}}"), changes);
    }

    @Test
    void deletionReportsEveryFieldToNull() {
        ObjectNode changes = AuditChanges.between(json("{'name':'Sales','description':'d'}"), null, Set.of());

        assertEquals(json("{'name':{'before':'Sales','after':null},'description':{'before':'d','after':null}}"), changes);
    }

    @Test
    void changedSecretShowsRedactedOnBothSides() {
        ObjectNode before = json("{'settings':{'snowflake':{'account':'a','password':'old-secret'}}}");
        ObjectNode after = json("{'settings':{'snowflake':{'account':'a','password':'new-secret'}}}");

        ObjectNode changes = AuditChanges.between(before, after, SNOWFLAKE_SECRET);

        assertEquals(json("{'settings.snowflake.password':{'before':'[redacted]','after':'[redacted]'}}"), changes);
    }

    @Test
    void unchangedSecretIsNotReported() {
        ObjectNode before = json("{'description':'a','settings':{'snowflake':{'password':'same'}}}");
        ObjectNode after = json("{'description':'b','settings':{'snowflake':{'password':'same'}}}");

        assertEquals(Set.of("description"), names(AuditChanges.between(before, after, SNOWFLAKE_SECRET)));
    }

    @Test
    void setAndClearedSecretsShowRedactedAgainstNull() {
        ObjectNode without = json("{'settings':{'snowflake':{'account':'a'}}}");
        ObjectNode with = json("{'settings':{'snowflake':{'account':'a','password':'s3cret'}}}");

        assertEquals(change(null, AuditChanges.REDACTED),
                AuditChanges.between(without, with, SNOWFLAKE_SECRET).get("settings.snowflake.password"));
        assertEquals(change(AuditChanges.REDACTED, null),
                AuditChanges.between(with, without, SNOWFLAKE_SECRET).get("settings.snowflake.password"));
    }

    @Test
    void removedSectionReportsItsFieldsAndRedactsItsSecrets() {
        ObjectNode before = json("{'settings':{'snowflake':{'account':'a','password':'s3cret'}}}");
        ObjectNode after = json("{'settings':{}}");

        ObjectNode changes = AuditChanges.between(before, after, SNOWFLAKE_SECRET);

        assertEquals(json("{'settings.snowflake.account':{'before':'a','after':null},"
                + "'settings.snowflake.password':{'before':'[redacted]','after':null}}"), changes);
    }

    @Test
    void secretsInsideAValueReplacedWholeAreRedacted() {
        ObjectNode before = json("{'settings':{'snowflake':{'account':'a','password':'s3cret'}}}");
        ObjectNode after = json("{'settings':{'snowflake':'off'}}");

        ObjectNode changes = AuditChanges.between(before, after, SNOWFLAKE_SECRET);

        assertEquals(json("{'settings.snowflake':{'before':{'account':'a','password':'[redacted]'},'after':'off'}}"),
                changes);
    }

    @Test
    void writeOnlyMarkersAreRedactedWithoutAGivenPath() {
        ObjectNode before = json("{'aws':{'region':'ap-southeast-2'}}");
        ObjectNode after = json("{'aws':{'region':'ap-southeast-2','secret_access_key':{'set':true}}}");

        assertEquals(json("{'aws.secret_access_key':{'before':null,'after':'[redacted]'}}"),
                AuditChanges.between(before, after, Set.of()));
    }

    @Test
    void nullAndMissingAreBothAbsent() {
        assertTrue(AuditChanges.between(json("{'description':null,'a':{}}"), json("{}"), Set.of()).isEmpty());
    }

    @Test
    void arraysAndNumbersCompareAsWholeValues() {
        ObjectNode changes = AuditChanges.between(json("{'tags':[1,2],'n':1}"), json("{'tags':[2,1],'n':1.0}"), Set.of());

        assertEquals(json("{'tags':{'before':[1,2],'after':[2,1]}}"), changes);
    }

    @Test
    void mapsAreDocumentsToo() {
        Map<String, String> before = new LinkedHashMap<>();
        before.put("role", "viewer");
        before.put("first_name", null);

        assertEquals(json("{'role':{'before':'viewer','after':'admin'}}"),
                AuditChanges.between(before, Map.of("role", "admin"), Set.of()));
    }

    // ---- properties -------------------------------------------------------------------------------------------

    private static final List<String> NAMES = List.of("a", "b", "c", "d");
    private static final List<String> PATHS = allPaths();
    private static final String SECRET_PREFIX = "SECRET-";

    private static List<String> allPaths() {
        List<String> paths = new ArrayList<>(NAMES);
        for (int depth = 1; depth < 3; depth++) {
            List<String> deeper = new ArrayList<>();
            for (String path : paths) {
                if (path.chars().filter(c -> c == '.').count() == depth - 1) {
                    NAMES.forEach(name -> deeper.add(path + "." + name));
                }
            }
            paths.addAll(deeper);
        }
        return paths;
    }

    /** A pair of documents with secrets planted at some secret paths, some equal on both sides, some not. */
    record Case(ObjectNode before, ObjectNode after, Set<String> secretPaths) {
    }

    @Provide
    Arbitrary<ObjectNode> plainDocuments() {
        return objects(3, false);
    }

    /** Per secret path: planted before only, after only, on both sides alike, or on both sides as drawn. */
    @Provide
    Arbitrary<Case> casesWithSecrets() {
        Arbitrary<List<String>> secretPaths = Arbitraries.of(PATHS).list().uniqueElements().ofMinSize(1).ofMaxSize(3);
        Arbitrary<List<String>> secrets = Arbitraries.of(SECRET_PREFIX + "one", SECRET_PREFIX + "two",
                SECRET_PREFIX + "three").list().ofSize(3);
        Arbitrary<List<Integer>> modes = Arbitraries.integers().between(0, 3).list().ofSize(3);
        return Combinators.combine(objects(3, true), objects(3, true), secretPaths, secrets, secrets, modes)
                .as((plainBefore, plainAfter, paths, beforeSecrets, afterSecrets, planting) -> {
                    ObjectNode before = plainBefore.deepCopy();
                    ObjectNode after = plainAfter.deepCopy();
                    for (int i = 0; i < paths.size(); i++) {
                        int mode = planting.get(i);
                        if (mode != 1) {
                            plant(before, paths.get(i), beforeSecrets.get(i));
                        }
                        if (mode != 0) {
                            plant(after, paths.get(i), mode == 2 ? beforeSecrets.get(i) : afterSecrets.get(i));
                        }
                    }
                    return new Case(before, after, Set.copyOf(paths));
                });
    }

    @Property
    void noSecretValueEverAppears(@ForAll("casesWithSecrets") Case c) {
        String changes = AuditChanges.between(c.before(), c.after(), c.secretPaths()).toString();

        assertFalse(changes.contains(SECRET_PREFIX), changes);
    }

    @Property
    void aDocumentComparedWithItselfHasNoChanges(@ForAll("casesWithSecrets") Case c) {
        assertTrue(AuditChanges.between(c.before(), c.before().deepCopy(), c.secretPaths()).isEmpty());
    }

    @Property
    void swappingTheDocumentsSwapsBeforeAndAfter(@ForAll("casesWithSecrets") Case c) {
        ObjectNode forward = AuditChanges.between(c.before(), c.after(), c.secretPaths());
        ObjectNode backward = AuditChanges.between(c.after(), c.before(), c.secretPaths());

        assertEquals(names(forward), names(backward));
        forward.properties().forEach(e -> {
            assertEquals(e.getValue().get("before"), backward.get(e.getKey()).get("after"));
            assertEquals(e.getValue().get("after"), backward.get(e.getKey()).get("before"));
        });
    }

    @Property
    void applyingTheChangesToBeforeGivesAfter(@ForAll("plainDocuments") ObjectNode before,
            @ForAll("plainDocuments") ObjectNode after) {
        ObjectNode changes = AuditChanges.between(before, after, Set.of());
        ObjectNode rebuilt = before.deepCopy();
        changes.properties().forEach(e -> {
            assertNotEquals(e.getValue().get("before"), e.getValue().get("after"), e.getKey());
            put(rebuilt, e.getKey(), e.getValue().get("after"));
        });

        assertEquals(normalised(after), normalised(rebuilt));
    }

    // ---- generators and helpers -------------------------------------------------------------------------------

    private static Arbitrary<ObjectNode> objects(int depth, boolean markers) {
        Arbitrary<JsonNode> leaf = leaves(markers);
        Arbitrary<JsonNode> value = depth == 0 ? leaf
                : Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(2, objects(depth - 1, markers).map(o -> o)));
        return Arbitraries.maps(Arbitraries.of(NAMES), value).ofMaxSize(4).map(fields -> {
            ObjectNode node = NODES.objectNode();
            fields.forEach(node::set);
            return node;
        });
    }

    private static Arbitrary<JsonNode> leaves(boolean markers) {
        Arbitrary<JsonNode> text = Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(2).map(NODES::textNode);
        Arbitrary<JsonNode> number = Arbitraries.integers().between(-2, 2).map(NODES::numberNode);
        Arbitrary<JsonNode> bool = Arbitraries.of(true, false).map(NODES::booleanNode);
        Arbitrary<JsonNode> nul = Arbitraries.just(NODES.nullNode());
        Arbitrary<JsonNode> array = Arbitraries.integers().between(0, 2).list().ofMaxSize(2)
                .map(items -> JSON.valueToTree(items));
        if (!markers) {
            return Arbitraries.oneOf(text, number, bool, nul, array);
        }
        Arbitrary<JsonNode> marker = Arbitraries.just(NODES.objectNode().put("set", true));
        return Arbitraries.oneOf(text, number, bool, nul, array, marker);
    }

    /** Puts {@code value} at a dotted path, turning whatever stands in the way into objects. */
    private static void plant(ObjectNode root, String path, String value) {
        put(root, path, NODES.textNode(value));
    }

    private static void put(ObjectNode root, String path, JsonNode value) {
        String[] names = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < names.length - 1; i++) {
            JsonNode next = node.get(names[i]);
            if (next == null || !next.isObject()) {
                next = node.putObject(names[i]);
            }
            node = (ObjectNode) next;
        }
        if (value == null || value.isNull()) {
            node.remove(names[names.length - 1]);
        } else {
            node.set(names[names.length - 1], value.deepCopy());
        }
    }

    /** Without nulls and empty objects, which the changes treat as absent. */
    private static JsonNode normalised(JsonNode node) {
        if (!node.isObject()) {
            return node;
        }
        ObjectNode out = NODES.objectNode();
        node.properties().forEach(e -> {
            JsonNode value = normalised(e.getValue());
            if (!value.isNull() && !(value.isObject() && value.isEmpty())) {
                out.set(e.getKey(), value);
            }
        });
        return out;
    }

    private static Set<String> names(ObjectNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.properties().forEach(e -> names.add(e.getKey()));
        return names;
    }
}
