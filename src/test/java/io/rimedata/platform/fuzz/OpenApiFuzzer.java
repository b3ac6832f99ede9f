package io.rimedata.platform.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Walks an OpenAPI document and sends every operation valid and deliberately invalid requests built from its
 * schemas, then checks each answer against the document and the API's error conventions: no 5xx, only documented
 * statuses, the error envelope with the response's request id, no internals in error bodies, and the status a
 * mutation must produce where the contract fixes it (401 without a token, 404 for another tenant's ids, 400 for a
 * forged cursor, 413 for a body over the limit, 415 for a non-JSON body, ...).
 *
 * <p>The plan — which operation, which mutation, which tenant, and every generated value — depends only on the seed
 * and the shape of the {@link Environment}'s resource trees, so a seed replays the same requests against a fixture
 * built the same way (ids differ between runs; they are looked up, never generated).
 */
public final class OpenApiFuzzer {

    /** Who a request is sent as. */
    public enum Credential {
        ADMIN, VIEWER, RUNNER, OPERATOR, FOREIGN_ADMIN, FOREIGN_RUNNER, NONE
    }

    /**
     * How a request departs from a valid one. Where the contract fixes the answer, the mutation expects it (in
     * brackets); otherwise any status the operation documents will do, except a 5xx.
     */
    public enum Mutation {
        /** Everything as the schema allows, with the fixture's ids. */
        VALID,
        /** A valid body with the property names exactly as the document spells them. */
        AS_DOCUMENTED,
        /** No Authorization header [401]. */
        NO_TOKEN,
        /** Another tenant's token, or its runner token on runner routes [401]. */
        FOREIGN_TOKEN,
        /** A viewer's token on an operation that needs more [403]. */
        VIEWER_ROLE,
        /** A random UUID for one id of the path [404]. */
        RANDOM_ID,
        /** A path parameter that is not an id at all: {@code not-a-uuid}, 300 characters, {@code %00}... [400, 404]. */
        MALFORMED_ID,
        /** All the path's ids taken from another tenant, sent as this tenant [404]. */
        FOREIGN_ID,
        /** A path segment that is not UTF-8, raw or percent-encoded, or a broken escape [400, 404]. */
        INVALID_UTF8_PATH,
        /** The path spelled another way the router would accept: escapes, dot segments, '//', ';' [400]. */
        NON_CANONICAL_PATH,
        /** A cursor this service never issued [400]. */
        BAD_CURSOR,
        /** A real cursor with one character changed [400]. */
        TAMPERED_CURSOR,
        /** A real cursor issued for another list [400]. */
        FOREIGN_CURSOR,
        /** {@code limit} out of 1..100 or not a number [400]. */
        BAD_LIMIT,
        /** A filter with a value it cannot take, or 5000 characters long. */
        BAD_QUERY_VALUE,
        /** A query value that is not UTF-8 [400 on limit and cursor]. */
        INVALID_UTF8_QUERY,
        /** A filter holding U+0000. */
        NUL_IN_QUERY,
        /** An If-Match that matches nothing [412]. */
        STALE_IF_MATCH,
        /** A field, or the whole body, of a JSON type the schema does not allow [400, 422]. */
        WRONG_TYPE,
        /** A required property left out or null [400, 422]. */
        MISSING_REQUIRED,
        /** A property the schema does not have [400]. */
        UNKNOWN_FIELD,
        /** A value past a minimum, maximum, length, item count, pattern, enum or format [400, 422]. */
        OUT_OF_RANGE,
        /** Injection-shaped and odd strings: quotes, format specifiers, JNDI, paths, control characters. */
        NASTY_STRING,
        /** A string holding U+0000. */
        NUL_IN_STRING,
        /** A string holding an unpaired surrogate escape such as {@code \ud800}, secrets preferred [400, 422]. */
        LONE_SURROGATE,
        /** A body just over the JSON limit (the upload limit for uploads), with Content-Length [413]. */
        HUGE_BODY,
        /** The same body sent chunked, without Content-Length [413]. */
        HUGE_BODY_CHUNKED,
        /** 10,000 levels of {@code [}, or 5,000 of objects [400]. */
        DEEP_NESTING,
        /** Truncated, single-quoted, commented, NaN, trailing comma... [400]. */
        MALFORMED_JSON,
        /** A valid body followed by more content: a second document, garbage [400]. */
        TRAILING_JSON,
        /** A string with bytes that are not UTF-8 [400]. */
        INVALID_UTF8_BODY,
        /** A string with an overlong UTF-8 encoding of '/' [400]. */
        OVERLONG_UTF8_BODY,
        /** A multipart body that ends early or uses another boundary [400]. */
        MALFORMED_MULTIPART,
        /** No body, {@code null} or blanks where one is required [400]. */
        EMPTY_BODY,
        /** A body that is not JSON by its Content-Type, or has none [415]. */
        WRONG_CONTENT_TYPE,
        /** A method the path does not have [405]. */
        WRONG_METHOD;

        /** Whether the request could still change or delete the resources it names. */
        boolean harmless() {
            return switch (this) {
                case NO_TOKEN, FOREIGN_TOKEN, VIEWER_ROLE, RANDOM_ID, MALFORMED_ID, FOREIGN_ID, INVALID_UTF8_PATH,
                        NON_CANONICAL_PATH, STALE_IF_MATCH, WRONG_METHOD -> true;
                default -> false;
            };
        }
    }

    /** What the fuzzer needs from the system under test: hosts, credentials, real ids and domain hints. */
    public interface Environment {

        int tenants();

        /** Host header of a tenant ({@code <subdomain>.localhost:<port>}). */
        String tenantHost(int tenant);

        /** Host header of the platform operator's routes. */
        String operatorHost();

        /** The bearer credential, or null for {@link Credential#NONE}; may be fresh on every call. */
        String token(int tenant, Credential credential);

        /** The tenant's resources, mirroring the URL structure (see {@link Resource}). */
        Resource resources(int tenant);

        /**
         * {@code next_cursor} values the tenant got from list operations, by list path ({@link OpenApiFuzzer#instances}),
         * in an order that does not depend on ids (a seed picks among them by position).
         */
        Map<String, String> cursors(int tenant);

        /**
         * Valid values for a schema property the document cannot describe precisely ({@code "Schema.property"} as
         * the document names them), such as a connector's per-type {@code config}, or for a query parameter
         * ({@code "GET /api/v1/users ?status"}); empty when the document suffices.
         */
        List<JsonNode> hints(int tenant, String property);

        /** Applies rules a schema cannot state (unique step keys, fields a PATCH may not change) to a valid body. */
        void fixBody(Operation operation, ObjectNode body, Random random);

        /** The role an operation requires: permit_all, viewer, editor, governance_admin, admin or runner. */
        String accessRule(Operation operation);

        /** At most this many requests to the operation per run (some buckets are shared with other test runs). */
        int maxRequests(Operation operation);

        long jsonBodyLimit();

        long uploadLimit();

        /** Values that must never appear in a response (passwords the fuzzer sends). */
        List<String> secrets();

        /**
         * Whether a backing service went away during the run (another test suite on this machine restarts Redis):
         * the 503 the server then answers is the documented outage answer, not a bug.
         */
        boolean backingServiceInterrupted();
    }

    /** A resource and its children by URL collection name: {@code projects/{id}/connectors/{connectorId}}. */
    public static final class Resource {
        private final String id;
        private final Map<String, List<Resource>> children = new LinkedHashMap<>();
        private final Set<String> avoided = new HashSet<>();

        public Resource(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** Keeps this resource out of the operations whose path template ends with one of {@code suffixes}. */
        public Resource avoid(String... suffixes) {
            avoided.addAll(List.of(suffixes));
            return this;
        }

        boolean avoids(String template) {
            return avoided.stream().anyMatch(template::endsWith);
        }

        public Resource add(String collection, String childId) {
            Resource child = new Resource(childId);
            children.computeIfAbsent(collection, k -> new ArrayList<>()).add(child);
            return child;
        }

        List<Resource> children(String collection) {
            return children.getOrDefault(collection, List.of());
        }
    }

    public record Param(String name, String in, boolean required, JsonNode schema, String description) {
    }

    public record Body(List<String> mediaTypes, JsonNode schema) {
        boolean json() {
            return mediaTypes.stream().anyMatch(t -> t.contains("json"));
        }

        boolean multipart() {
            return mediaTypes.stream().anyMatch(t -> t.startsWith("multipart/"));
        }

        boolean mergePatch() {
            return mediaTypes.contains("application/merge-patch+json");
        }
    }

    /** One documented operation, or (with {@code probe}) a method the document does not list for a path. */
    public record Operation(String method, String path, List<Param> params, Body body, Set<Integer> documented,
            boolean secured, boolean probe, Operation sibling) {

        public String key() {
            return method + " " + path + (probe ? " (undocumented method)" : "");
        }

        boolean platform() {
            return path.startsWith("/api/v1/platform");
        }

        List<Param> in(String location) {
            return params.stream().filter(p -> p.in().equals(location)).toList();
        }

        Param query(String name) {
            return params.stream().filter(p -> p.in().equals("query") && p.name().equals(name)).findFirst().orElse(null);
        }
    }

    public record Planned(int index, Operation operation, Mutation mutation, int tenant, long seed) {
    }

    /** A request as sent: the exact bytes, and the statuses the mutation allows (null: any documented one). */
    record Request(String method, byte[] target, Map<String, String> headers, byte[] body, boolean chunked,
            Set<Integer> expected, String credential, String note, Set<String> documentedNames) {
    }

    public record Finding(String kind, String operation, Mutation mutation, int status, String detail,
            String request, String response) {
        /** What the allow-list matches: the same bug found again has the same signature. */
        public String signature() {
            return kind + " " + operation + " " + mutation + " " + status;
        }
    }

    record Outcome(Planned planned, int status, long nanos, List<Finding> findings, String exchange, boolean outage) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern REQUEST_ID = Pattern.compile("req_[0-9A-HJKMNP-TV-Z]{26}");
    private static final List<String> VERBS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final String PLACEHOLDER = "__fuzz_placeholder__";
    /** Internals that must never reach a client: stack frames, class and package names, SQL and parser messages. */
    private static final List<String> LEAKS = List.of("Exception", "\tat ", "at io.", "at java.", "at org.",
            "Caused by", "org.hibernate", "SQLSTATE", "io.vertx", "io.quarkus", "io.smallrye", "io.netty", "org.jboss",
            "com.fasterxml", "java.lang", "java.util", "jakarta.", "org.postgresql", "io.rimedata", "ERROR: ",
            "duplicate key", "violates ", "syntax error at", "Unrecognized field", "Cannot deserialize",
            "Cannot construct", "(class ", "[Source:", "; line: ");
    /** JSON string contents (escapes as written): injection shapes, control and odd characters. */
    private static final List<String> NASTY = List.of("\\uffff", "\\u202eevil", "' OR '1'='1",
            "'; DROP TABLE projects; --", "%s%s%n%x", "${jndi:ldap://127.0.0.1/x}", "../../../../etc/passwd",
            "<script>alert(1)</script>", "\\ud83d\\ude00\\ud83d\\ude00", "\\r\\nX-Injected: 1", " ".repeat(40), "\\\\",
            "null", "\\u0085\\u2028\\u2029");
    private static final List<String> BAD_UTF8_ESCAPES = List.of("%FF%FE", "%C3%28", "%ED%A0%80", "%C0%AF", "%E2%82",
            "%F8%88%80%80%80");
    private static final List<byte[]> BAD_UTF8_BYTES = List.of(new byte[] { (byte) 0xFF, (byte) 0xFE },
            new byte[] { (byte) 0xC3, 0x28 }, new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
            new byte[] { (byte) 0xE2, (byte) 0x82 });
    /** Overlong forms of '/', the classic way past filters that compare bytes before decoding. */
    private static final List<byte[]> OVERLONG_UTF8 = List.of(new byte[] { (byte) 0xC0, (byte) 0xAF },
            new byte[] { (byte) 0xE0, (byte) 0x80, (byte) 0xAF },
            new byte[] { (byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF });

    private final JsonNode document;
    private final Environment env;
    private final long seed;
    private final List<Operation> operations;

    public OpenApiFuzzer(JsonNode document, Environment env, long seed, Predicate<String> skipPath) {
        this.document = document;
        this.env = env;
        this.seed = seed;
        this.operations = List.copyOf(readOperations(document, skipPath));
    }

    public List<Operation> operations() {
        return operations;
    }

    public long seed() {
        return seed;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reading the document
    // ---------------------------------------------------------------------------------------------------------

    private static List<Operation> readOperations(JsonNode document, Predicate<String> skipPath) {
        List<Operation> result = new ArrayList<>();
        boolean securedByDefault = document.path("security").size() > 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> entry = paths.next();
            String path = entry.getKey();
            if (skipPath.test(path)) {
                continue;
            }
            JsonNode item = entry.getValue();
            List<Operation> ofPath = new ArrayList<>();
            for (String verb : VERBS) {
                JsonNode op = item.get(verb.toLowerCase(Locale.ROOT));
                if (op == null) {
                    continue;
                }
                Map<String, Param> params = new LinkedHashMap<>();
                for (JsonNode p : concat(item.path("parameters"), op.path("parameters"))) {
                    params.put(p.path("in").asText() + ":" + p.path("name").asText(), new Param(p.path("name").asText(),
                            p.path("in").asText(), p.path("required").asBoolean(false), p.path("schema"),
                            p.path("description").asText("")));
                }
                Body body = null;
                if (op.has("requestBody")) {
                    JsonNode content = op.path("requestBody").path("content");
                    List<String> types = new ArrayList<>();
                    content.fieldNames().forEachRemaining(types::add);
                    JsonNode schema = content.path(types.getFirst()).path("schema");
                    body = new Body(List.copyOf(types), schema);
                }
                Set<Integer> documented = new TreeSet<>();
                op.path("responses").fieldNames().forEachRemaining(code -> {
                    if (code.matches("\\d{3}")) {
                        documented.add(Integer.parseInt(code));
                    }
                });
                boolean secured = op.has("security") ? op.path("security").size() > 0 : securedByDefault;
                ofPath.add(new Operation(verb, path, List.copyOf(params.values()), body, documented, secured, false, null));
            }
            result.addAll(ofPath);
            // a method the path does not have: the router's 405 must also be an enveloped error
            VERBS.stream().filter(v -> ofPath.stream().noneMatch(o -> o.method().equals(v))).findFirst()
                    .ifPresent(v -> {
                        Set<Integer> documented = new TreeSet<>(ofPath.getFirst().documented());
                        documented.add(405);
                        result.add(new Operation(v, path, ofPath.getFirst().params().stream()
                                .filter(p -> p.in().equals("path")).toList(), null, documented,
                                ofPath.getFirst().secured(), true, ofPath.getFirst()));
                    });
        }
        result.sort((a, b) -> a.key().compareTo(b.key()));
        return result;
    }

    private static List<JsonNode> concat(JsonNode a, JsonNode b) {
        List<JsonNode> all = new ArrayList<>();
        a.forEach(all::add);
        b.forEach(all::add);
        return all;
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode s = schema;
        for (int i = 0; i < 10 && s != null && s.has("$ref"); i++) {
            s = document.at(s.path("$ref").asText().substring(1));
        }
        return s == null ? NODES.objectNode() : s;
    }

    private static String refName(JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.isEmpty() ? null : ref.substring(ref.lastIndexOf('/') + 1);
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!t.asText().equals("null")) {
                    return t.asText();
                }
            }
        }
        if (type.isTextual()) {
            return type.asText();
        }
        return schema.has("properties") ? "object" : schema.has("items") ? "array" : "string";
    }

    /** The API's JSON uses snake_case (Jackson's naming strategy) whatever names the document shows. */
    static String wireName(String documented) {
        StringBuilder out = new StringBuilder();
        for (char c : documented.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Planning
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Another spelling of a path that the router would normalise back to it (or to a neighbour): an escaped
     * unreserved character, a dot segment, an empty segment, an encoded separator or a matrix parameter.
     */
    static String respell(String path, Random random) {
        List<String> segments = new ArrayList<>(List.of(path.substring(1).split("/", -1)));
        int i = random.nextInt(segments.size());
        String segment = segments.get(i);
        switch (random.nextInt(9)) {
            case 0 -> segments.set(i, String.format("%%%02x", (int) segment.charAt(0)) + segment.substring(1));
            case 1 -> segments.add(i, ".");
            case 2 -> segments.addAll(i, List.of("x", ".."));
            case 3 -> segments.addAll(i, List.of("x", pick(random, List.of("%2e%2e", "%2E%2E", ".%2e", "%2e."))));
            case 4 -> segments.add(i, "");
            case 5 -> segments.add(i, "%2e");
            case 6 -> segments.set(i, segment + pick(random, List.of(";x=1", ";", "%3B", "%2F", "%2f", "%5C", "%00", "%0a")));
            case 7 -> segments.add(".");
            default -> segments.set(i, segment.chars().mapToObj(c -> String.format("%%%02X", c))
                    .collect(java.util.stream.Collectors.joining()));
        }
        return "/" + String.join("/", segments);
    }

    List<Mutation> applicable(Operation op) {
        List<Mutation> list = new ArrayList<>();
        if (op.probe()) {
            return List.of(Mutation.WRONG_METHOD);
        }
        list.add(Mutation.VALID);
        list.add(Mutation.NON_CANONICAL_PATH);
        String rule = env.accessRule(op);
        if (op.secured()) {
            list.add(Mutation.NO_TOKEN);
            list.add(Mutation.FOREIGN_TOKEN);
        }
        if (!op.platform() && !rule.equals("permit_all") && !rule.equals("viewer")) {
            list.add(Mutation.VIEWER_ROLE);
        }
        List<Param> pathParams = op.in("path");
        if (pathParams.stream().anyMatch(this::isUuid)) {
            list.add(Mutation.RANDOM_ID);
        }
        if (!pathParams.isEmpty()) {
            list.add(Mutation.MALFORMED_ID);
            list.add(Mutation.INVALID_UTF8_PATH);
            if (!op.platform()) {
                list.add(Mutation.FOREIGN_ID);
            }
        }
        if (op.query("cursor") != null) {
            list.addAll(List.of(Mutation.BAD_CURSOR, Mutation.TAMPERED_CURSOR, Mutation.FOREIGN_CURSOR));
        }
        if (op.query("limit") != null) {
            list.add(Mutation.BAD_LIMIT);
        }
        if (op.in("query").stream().anyMatch(p -> !isPaging(p.name()))) {
            list.add(Mutation.BAD_QUERY_VALUE);
            list.add(Mutation.NUL_IN_QUERY);
        }
        list.add(Mutation.INVALID_UTF8_QUERY);
        if (op.params().stream().anyMatch(p -> p.in().equals("header") && p.name().equalsIgnoreCase("If-Match"))) {
            list.add(Mutation.STALE_IF_MATCH);
        }
        Body body = op.body();
        if (body != null && body.json()) {
            JsonNode schema = body.schema();
            if (hasRenamedProperty(schema, new HashSet<>())) {
                list.add(Mutation.AS_DOCUMENTED);
            }
            list.addAll(List.of(Mutation.WRONG_TYPE, Mutation.UNKNOWN_FIELD));
            if (!body.mergePatch() && hasRequired(schema, new HashSet<>())) {
                list.add(Mutation.MISSING_REQUIRED);
            }
            if (hasConstraint(schema, new HashSet<>())) {
                list.add(Mutation.OUT_OF_RANGE);
            }
            list.addAll(List.of(Mutation.NASTY_STRING, Mutation.NUL_IN_STRING, Mutation.LONE_SURROGATE,
                    Mutation.HUGE_BODY, Mutation.HUGE_BODY_CHUNKED,
                    Mutation.DEEP_NESTING, Mutation.MALFORMED_JSON, Mutation.TRAILING_JSON, Mutation.INVALID_UTF8_BODY,
                    Mutation.OVERLONG_UTF8_BODY, Mutation.EMPTY_BODY, Mutation.WRONG_CONTENT_TYPE));
        } else if (body != null && body.multipart()) {
            list.addAll(List.of(Mutation.WRONG_CONTENT_TYPE, Mutation.HUGE_BODY, Mutation.HUGE_BODY_CHUNKED,
                    Mutation.MALFORMED_MULTIPART, Mutation.MISSING_REQUIRED, Mutation.EMPTY_BODY));
        }
        return list;
    }

    private boolean hasRenamedProperty(JsonNode schema, Set<String> seen) {
        return walk(schema, seen, (name, s) -> name != null && !wireName(name).equals(name));
    }

    private boolean hasRequired(JsonNode schema, Set<String> seen) {
        return walk(schema, seen, (name, s) -> s.path("required").size() > 0);
    }

    private boolean hasConstraint(JsonNode schema, Set<String> seen) {
        return walk(schema, seen, (name, s) -> s.has("maximum") || s.has("minimum") || s.has("maxLength")
                || s.has("minLength") || s.has("pattern") || s.has("enum") || s.has("maxItems") || s.has("minItems")
                || s.path("format").asText().equals("uuid") || s.path("format").asText().equals("date-time"));
    }

    private interface SchemaTest {
        boolean test(String propertyName, JsonNode resolved);
    }

    /** Whether any schema reachable from {@code schema} (or a property's name) passes the test. */
    private boolean walk(JsonNode schema, Set<String> seen, SchemaTest test) {
        String ref = refName(schema);
        if (ref != null && !seen.add(ref)) {
            return false;
        }
        JsonNode s = resolve(schema);
        if (test.test(null, s)) {
            return true;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> p = it.next();
            if (test.test(p.getKey(), resolve(p.getValue())) || walk(p.getValue(), seen, test)) {
                return true;
            }
        }
        return s.has("items") && walk(s.path("items"), seen, test);
    }

    private boolean isUuid(Param p) {
        return resolve(p.schema()).path("format").asText().equals("uuid");
    }

    private static boolean isPaging(String name) {
        return name.equals("limit") || name.equals("cursor");
    }

    /**
     * The requests of a run: first every applicable (operation, mutation) pair once in a shuffled order, then random
     * picks (valid requests weighted up) until the budget is spent. DELETE requests go last, harmless ones first,
     * so the fixture's resources exist for everything else.
     */
    public List<Planned> plan(int budget) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Map.Entry<Operation, Mutation>> coverage = new ArrayList<>();
        for (Operation op : operations) {
            for (Mutation m : applicable(op)) {
                coverage.add(Map.entry(op, m));
            }
        }
        shuffle(coverage, random);
        Map<Operation, Integer> counts = new HashMap<>();
        List<Map.Entry<Operation, Mutation>> chosen = new ArrayList<>();
        for (Map.Entry<Operation, Mutation> pair : coverage) {
            if (chosen.size() < budget && take(pair.getKey(), counts)) {
                chosen.add(pair);
            }
        }
        // beyond one probe each, undocumented methods teach nothing new: the rest of the budget goes to operations
        List<Operation> documented = operations.stream().filter(o -> !o.probe()).toList();
        int attempts = 0;
        while (chosen.size() < budget && attempts++ < budget * 20) {
            Operation op = documented.get(random.nextInt(documented.size()));
            List<Mutation> mutations = applicable(op);
            Mutation m = random.nextInt(3) == 0 ? mutations.getFirst() : mutations.get(random.nextInt(mutations.size()));
            if (take(op, counts)) {
                chosen.add(Map.entry(op, m));
            }
        }
        List<Map.Entry<Operation, Mutation>> ordered = new ArrayList<>();
        chosen.stream().filter(p -> !p.getKey().method().equals("DELETE") || p.getKey().probe()).forEach(ordered::add);
        chosen.stream().filter(p -> p.getKey().method().equals("DELETE") && !p.getKey().probe() && p.getValue().harmless())
                .forEach(ordered::add);
        chosen.stream().filter(p -> p.getKey().method().equals("DELETE") && !p.getKey().probe() && !p.getValue().harmless())
                .forEach(ordered::add);
        List<Planned> plan = new ArrayList<>();
        for (Map.Entry<Operation, Mutation> pair : ordered) {
            plan.add(new Planned(plan.size(), pair.getKey(), pair.getValue(), random.nextInt(env.tenants()),
                    random.nextLong()));
        }
        return plan;
    }

    private boolean take(Operation op, Map<Operation, Integer> counts) {
        int n = counts.getOrDefault(op, 0);
        if (n >= env.maxRequests(op.probe() ? op.sibling() : op)) {
            return false;
        }
        counts.put(op, n + 1);
        return true;
    }

    private static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, random.nextInt(i + 1));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Building requests
    // ---------------------------------------------------------------------------------------------------------

    /** A value slot in a generated body: where it is, its schema, and whether its object requires it. */
    private record Slot(List<Object> path, JsonNode schema, boolean required, String label, boolean hinted) {
    }

    /** A generated body and its slots. */
    private final class Generated {
        final Random random;
        final int tenant;
        final boolean documentedNames;
        final List<Slot> slots = new ArrayList<>();
        final Set<String> renamed = new TreeSet<>();
        JsonNode root;

        Generated(Random random, int tenant, boolean documentedNames) {
            this.random = random;
            this.tenant = tenant;
            this.documentedNames = documentedNames;
        }

        JsonNode value(JsonNode schema, String owner, String property, List<Object> path, boolean required,
                boolean merge, int depth) {
            if (owner != null && property != null) {
                List<JsonNode> hints = env.hints(tenant, owner + "." + property);
                if (!hints.isEmpty()) {
                    slots.add(new Slot(path, resolve(schema), required, owner + "." + property, true));
                    return hints.get(random.nextInt(hints.size())).deepCopy();
                }
            }
            String name = refName(schema);
            JsonNode s = resolve(schema);
            slots.add(new Slot(path, s, required, owner == null ? "(body)" : owner + "." + property, false));
            if (s.has("enum")) {
                return s.path("enum").get(random.nextInt(s.path("enum").size())).deepCopy();
            }
            return switch (type(s)) {
                case "object" -> object(s, name != null ? name : owner + "." + property, path, merge, depth);
                case "array" -> {
                    ArrayNode array = NODES.arrayNode();
                    int min = s.path("minItems").asInt(0);
                    int max = Math.min(s.path("maxItems").asInt(min + 2), min + 2);
                    int n = min + random.nextInt(max - min + 1);
                    for (int i = 0; i < n && depth < 8; i++) {
                        List<Object> itemPath = append(path, i);
                        array.add(value(s.path("items"), owner, property + "[]", itemPath, false, false, depth + 1));
                    }
                    yield array;
                }
                case "integer" -> {
                    long min = s.path("minimum").asLong(0);
                    long max = s.path("maximum").asLong(Math.max(min, 0) + 1000);
                    yield NODES.numberNode(min + (long) (random.nextDouble() * (max - min + 1)));
                }
                case "number" -> {
                    double min = s.path("minimum").asDouble(0);
                    double max = s.path("maximum").asDouble(min + 1000);
                    yield NODES.numberNode(Math.round((min + random.nextDouble() * (max - min)) * 100) / 100.0);
                }
                case "boolean" -> NODES.booleanNode(random.nextBoolean());
                default -> NODES.textNode(string(s, property));
            };
        }

        private ObjectNode object(JsonNode s, String name, List<Object> path, boolean merge, int depth) {
            ObjectNode object = NODES.objectNode();
            Set<String> required = new LinkedHashSet<>();
            s.path("required").forEach(r -> required.add(r.asText()));
            List<String> properties = new ArrayList<>();
            s.path("properties").fieldNames().forEachRemaining(properties::add);
            List<String> included = new ArrayList<>();
            for (String p : properties) {
                boolean readOnly = resolve(s.path("properties").path(p)).path("readOnly").asBoolean(false);
                if (readOnly) {
                    continue;
                }
                if (merge ? random.nextInt(3) == 0 : required.contains(p) || (depth < 4 && random.nextBoolean())) {
                    included.add(p);
                }
            }
            if (merge && included.isEmpty() && !properties.isEmpty()) {
                included.add(properties.get(random.nextInt(properties.size())));
            }
            for (String p : included) {
                String wire = documentedNames ? p : wireName(p);
                if (!wire.equals(wireName(p))) {
                    renamed.add(p);
                }
                object.set(wire, value(s.path("properties").path(p), name, p, append(path, wire),
                        required.contains(p) && !merge, false, depth + 1));
            }
            return object;
        }

        private String string(JsonNode s, String property) {
            String format = s.path("format").asText("");
            String lower = property == null ? "" : property.toLowerCase(Locale.ROOT);
            int minLength = s.path("minLength").asInt(0);
            int maxLength = s.path("maxLength").asInt(Integer.MAX_VALUE);
            if (format.equals("uuid")) {
                return uuid(random);
            }
            if (format.equals("date-time")) {
                // in the future, where expiry times must be
                return Instant.parse("2030-01-01T00:00:00Z").plus(random.nextInt(300 * 24 * 60), ChronoUnit.MINUTES)
                        .toString();
            }
            // the document types these as plain (non-blank) strings; their names say what they hold
            if (lower.contains("email")) {
                return "fuzz-" + word(8) + "@example.test";
            }
            if (lower.contains("timezone")) {
                return pick(List.of("UTC", "Pacific/Auckland", "Europe/Berlin", "America/New_York"));
            }
            if (lower.equals("cron")) {
                return pick(List.of("0 3 * * *", "*/15 * * * *", "30 2 * * 1-5"));
            }
            if (lower.endsWith("url")) {
                return "https://example.test/" + word(6);
            }
            String pattern = s.path("pattern").asText("");
            if (!pattern.isEmpty() && !pattern.equals("\\S")) {
                List<String> literals = PatternStrings.literalAlternatives(pattern);
                if (literals != null) {
                    return pick(literals);
                }
                for (int i = 0; i < 20; i++) {
                    String candidate = PatternStrings.generate(pattern, random);
                    if (candidate.length() >= minLength && candidate.length() <= maxLength) {
                        return candidate;
                    }
                }
            }
            // sometimes the document's example, which is a valid value but, for a name, soon a taken one (409)
            if (s.has("examples") && random.nextInt(4) == 0) {
                return s.path("examples").get(0).asText();
            }
            int length = Math.max(Math.max(minLength, 1), Math.min(maxLength, 6 + random.nextInt(14)));
            return length >= 8 ? "fuzz " + word(length - 5) : word(length);
        }

        private String word(int length) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < length; i++) {
                out.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(random.nextInt(36)));
            }
            return out.toString();
        }

        private <T> T pick(List<T> list) {
            return list.get(random.nextInt(list.size()));
        }
    }

    private static String uuid(Random random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        String hex = HexFormat.of().formatHex(bytes);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    private static List<Object> append(List<Object> path, Object element) {
        List<Object> longer = new ArrayList<>(path);
        longer.add(element);
        return longer;
    }

    /** Builds the exact request a planned entry stands for. */
    Request build(Planned planned) {
        Random random = new Random(planned.seed());
        Operation op = planned.operation();
        Mutation m = planned.mutation();
        int tenant = planned.tenant();
        int foreign = env.tenants() < 2 ? tenant : (tenant + 1 + random.nextInt(env.tenants() - 1)) % env.tenants();
        Operation rules = op.probe() ? op.sibling() : op;
        String rule = env.accessRule(rules);
        Credential credential = rules.platform() ? Credential.OPERATOR
                : rule.equals("runner") ? Credential.RUNNER
                : rule.equals("permit_all") ? Credential.NONE : Credential.ADMIN;
        Set<Integer> expected = null;
        List<String> notes = new ArrayList<>();

        switch (m) {
            case NO_TOKEN -> {
                credential = Credential.NONE;
                expected = Set.of(401);
            }
            case FOREIGN_TOKEN -> {
                credential = credential == Credential.RUNNER ? Credential.FOREIGN_RUNNER : Credential.FOREIGN_ADMIN;
                expected = Set.of(401);
            }
            case VIEWER_ROLE -> {
                credential = Credential.VIEWER;
                expected = Set.of(403);
            }
            default -> {
            }
        }

        // path: the fixture's ids where the resource tree has them, else values from the schema
        Resource home = env.resources(tenant);
        Map<String, byte[]> rawPath = new LinkedHashMap<>();
        Map<String, String> pathValues = resolvePath(op, m == Mutation.FOREIGN_ID ? env.resources(foreign) : home, random);
        List<Param> pathParams = op.in("path");
        if (m == Mutation.FOREIGN_ID) {
            expected = Set.of(404);
            notes.add("ids of tenant " + foreign);
        }
        if (m == Mutation.RANDOM_ID) {
            List<Param> uuids = pathParams.stream().filter(this::isUuid).toList();
            Param p = uuids.get(random.nextInt(uuids.size()));
            pathValues.put(p.name(), uuid(random));
            expected = Set.of(404);
        }
        if (m == Mutation.MALFORMED_ID) {
            Param p = pathParams.get(random.nextInt(pathParams.size()));
            // not ".." nor "%2e%2e": dot segments, encoded or not, are removed before routing (RFC 3986, 5.2.4
            // and 6.2.2), so they name the parent resource
            String bad = pick(random, List.of("not-a-uuid", "0", "-1", "99999999999999999999", "null",
                    "x".repeat(300), "00000000-0000-0000-0000-00000000000g", "{" + p.name() + "}", "%00",
                    "%2F", "a b", "%20", "é"));
            // the escapes are meant as written; everything else is sent as a client would encode it
            rawPath.put(p.name(), (bad.contains("%") ? bad : encode(bad)).getBytes(StandardCharsets.US_ASCII));
            notes.add(p.name() + "=" + bad);
            expected = Set.of(400, 404);
        }
        if (m == Mutation.INVALID_UTF8_PATH) {
            Param p = pathParams.get(random.nextInt(pathParams.size()));
            int variant = random.nextInt(3);
            byte[] bad = switch (variant) {
                case 0 -> pick(random, BAD_UTF8_ESCAPES).getBytes(StandardCharsets.US_ASCII);
                case 1 -> pick(random, random.nextBoolean() ? BAD_UTF8_BYTES : OVERLONG_UTF8);
                default -> pick(random, List.of("%zz", "%", "%F", "%%", "%u00e9")).getBytes(StandardCharsets.US_ASCII);
            };
            rawPath.put(p.name(), bad);
            notes.add(p.name() + " is not UTF-8");
            expected = Set.of(400, 404);
        }
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        for (String segment : op.path().substring(1).split("/")) {
            target.write('/');
            if (segment.startsWith("{") && segment.endsWith("}")) {
                String name = segment.substring(1, segment.length() - 1);
                byte[] raw = rawPath.get(name);
                target.writeBytes(raw != null ? raw : encode(pathValues.get(name)).getBytes(StandardCharsets.US_ASCII));
            } else {
                target.writeBytes(segment.getBytes(StandardCharsets.US_ASCII));
            }
        }

        // query
        List<byte[]> query = new ArrayList<>();
        Map<String, String> cursors = env.cursors(tenant);
        String ownCursor = cursors.get(concrete(op, pathValues));
        switch (m) {
            case BAD_LIMIT -> {
                String bad = pick(random, List.of("0", "-1", "101", "abc", "1.5", "99999999999999999999", "1e2", " 5",
                        "0x10", "5abc", "%00", "%FF"));
                query.add(("limit=" + (bad.startsWith("%") ? bad : encode(bad))).getBytes(StandardCharsets.US_ASCII));
                notes.add("limit=" + bad);
                expected = Set.of(400);
            }
            case BAD_CURSOR -> {
                String bad = pick(random, List.of("x", "AAAA", "!!!", "A".repeat(600), uuid(random), "null",
                        java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(random, 40)),
                        "AQ", "%00", "%FF%FE", "eyJpZCI6MX0"));
                query.add(("cursor=" + (bad.startsWith("%") ? bad : encode(bad))).getBytes(StandardCharsets.US_ASCII));
                notes.add("cursor=" + abbreviate(bad, 40));
                expected = Set.of(400);
            }
            case TAMPERED_CURSOR -> {
                String base = ownCursor != null ? ownCursor : anyCursor(cursors, random);
                String tampered = base == null ? "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" : tamper(base, random);
                query.add(("cursor=" + encode(tampered)).getBytes(StandardCharsets.US_ASCII));
                notes.add("a real cursor with one character changed");
                expected = Set.of(400);
            }
            case FOREIGN_CURSOR -> {
                String own = concrete(op, pathValues);
                List<String> others = cursors.entrySet().stream().filter(e -> !e.getKey().equals(own))
                        .map(Map.Entry::getValue).filter(c -> !c.equals(ownCursor)).toList();
                String other = others.isEmpty() ? "AQ" : pick(random, others);
                query.add(("cursor=" + encode(other)).getBytes(StandardCharsets.US_ASCII));
                notes.add("a cursor another list issued");
                expected = Set.of(400);
            }
            case BAD_QUERY_VALUE -> {
                List<Param> filters = op.in("query").stream().filter(p -> !isPaging(p.name())).toList();
                Param p = pick(random, filters);
                String bad = badQueryValue(p, random);
                query.add((p.name() + "=" + bad).getBytes(StandardCharsets.US_ASCII));
                notes.add(p.name() + "=" + bad);
            }
            case NUL_IN_QUERY -> {
                Param p = pick(random, op.in("query").stream().filter(x -> !isPaging(x.name())).toList());
                String nul = pick(random, List.of("%00", "a%00b"));
                query.add((p.name() + "=" + nul).getBytes(StandardCharsets.US_ASCII));
                notes.add(p.name() + "=" + nul);
            }
            case INVALID_UTF8_QUERY -> {
                List<Param> declared = op.in("query");
                String name = declared.isEmpty() ? "q" : pick(random, declared).name();
                ByteArrayOutputStream q = new ByteArrayOutputStream();
                q.writeBytes((name + "=").getBytes(StandardCharsets.US_ASCII));
                if (random.nextBoolean()) {
                    q.writeBytes(pick(random, BAD_UTF8_ESCAPES).getBytes(StandardCharsets.US_ASCII));
                } else {
                    q.writeBytes(pick(random, random.nextBoolean() ? BAD_UTF8_BYTES : OVERLONG_UTF8));
                }
                query.add(q.toByteArray());
                notes.add(name + " is not UTF-8");
                expected = isPaging(name) ? Set.of(400) : expected;
            }
            default -> {
                // one thing wrong at a time: optional filters only where the request is otherwise valid
                if (m != Mutation.WRONG_METHOD) {
                    query.addAll(validQuery(op, ownCursor, home, random, m == Mutation.VALID || m == Mutation.AS_DOCUMENTED));
                }
            }
        }
        if (!query.isEmpty()) {
            target.write('?');
            for (int i = 0; i < query.size(); i++) {
                if (i > 0) {
                    target.write('&');
                }
                target.writeBytes(query.get(i));
            }
        }

        // headers
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", rules.platform() ? env.operatorHost() : env.tenantHost(tenant));
        String token = env.token(credential == Credential.FOREIGN_ADMIN || credential == Credential.FOREIGN_RUNNER
                ? foreign : tenant, credential);
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        headers.put("Accept", "application/json");
        for (Param p : op.in("header")) {
            String name = p.name();
            if (name.equalsIgnoreCase("If-Match")) {
                if (m == Mutation.STALE_IF_MATCH) {
                    headers.put("If-Match", "\"stale-" + Long.toHexString(random.nextLong()) + "\"");
                    expected = Set.of(412);
                } else if (random.nextInt(4) == 0) {
                    headers.put("If-Match", "*");
                }
            } else if (name.equalsIgnoreCase("If-None-Match") && random.nextInt(4) == 0) {
                headers.put("If-None-Match", "\"" + Long.toHexString(random.nextLong()) + "\"");
            } else if (name.equalsIgnoreCase("User-Agent") && random.nextBoolean()) {
                headers.put("User-Agent", "fuzz/" + random.nextInt(100));
            }
        }

        // body
        byte[] body = null;
        boolean chunked = false;
        Set<String> documentedNames = Set.of();
        if (op.body() != null && m != Mutation.WRONG_METHOD) {
            BodyAndType built = op.body().multipart() && !op.body().json()
                    ? multipartBody(op, m, random)
                    : jsonBody(op, m, tenant, random);
            body = built.body();
            chunked = built.chunked();
            if (built.contentType() != null) {
                headers.put("Content-Type", built.contentType());
            }
            if (built.expected() != null) {
                expected = built.expected();
            }
            if (built.note() != null) {
                notes.add(built.note());
            }
            documentedNames = built.documentedNames();
        }
        if (m == Mutation.WRONG_METHOD) {
            expected = Set.of(405);
        }
        byte[] requestTarget = target.toByteArray();
        if (m == Mutation.NON_CANONICAL_PATH) {
            String spelled = respell(new String(requestTarget, StandardCharsets.US_ASCII), random);
            requestTarget = spelled.getBytes(StandardCharsets.US_ASCII);
            notes.add("path spelled " + abbreviate(spelled, 120));
            expected = Set.of(400);
        }
        return new Request(op.method(), requestTarget, headers, body, chunked, expected,
                credential == Credential.NONE ? "none" : credential.name().toLowerCase(Locale.ROOT) + " of tenant "
                        + (credential.name().startsWith("FOREIGN") ? foreign : tenant),
                String.join("; ", notes), documentedNames);
    }

    private Map<String, String> resolvePath(Operation op, Resource root, Random random) {
        List<Map<String, String>> complete = bindings(op, root);
        if (!complete.isEmpty()) {
            return new LinkedHashMap<>(complete.get(random.nextInt(complete.size())));
        }
        Map<String, String> values = new LinkedHashMap<>();
        Resource node = root;
        String previous = null;
        for (String segment : op.path().substring(1).split("/")) {
            if (segment.startsWith("{") && segment.endsWith("}")) {
                String name = segment.substring(1, segment.length() - 1);
                List<Resource> options = node == null ? List.of() : node.children(previous);
                if (options.isEmpty()) {
                    Param p = op.params().stream().filter(x -> x.in().equals("path") && x.name().equals(name)).findFirst()
                            .orElse(null);
                    values.put(name, p != null && isUuid(p) ? uuid(random) : String.valueOf(1 + random.nextInt(3)));
                    node = null;
                } else {
                    node = options.get(random.nextInt(options.size()));
                    values.put(name, node.id());
                }
            } else {
                previous = segment;
            }
        }
        return values;
    }

    private static String concrete(Operation op, Map<String, String> pathValues) {
        String path = op.path();
        for (Map.Entry<String, String> e : pathValues.entrySet()) {
            path = path.replace("{" + e.getKey() + "}", e.getValue());
        }
        return path;
    }

    /** Every path of the operation whose parameters all name resources of the tree ({@code /api/v1/projects/<id>/...}). */
    public List<String> instances(Operation op, Resource root) {
        return bindings(op, root).stream().map(values -> concrete(op, values)).toList();
    }

    /** Every assignment of the path parameters to resources of the tree, following the URL's nesting. */
    private static List<Map<String, String>> bindings(Operation op, Resource root) {
        List<Map<String, String>> out = new ArrayList<>();
        expand(op.path(), op.path().substring(1).split("/"), 0, root, null, new LinkedHashMap<>(), out);
        return out;
    }

    private static void expand(String template, String[] segments, int i, Resource node, String previous,
            Map<String, String> values, List<Map<String, String>> out) {
        if (i == segments.length) {
            out.add(new LinkedHashMap<>(values));
            return;
        }
        String segment = segments[i];
        if (segment.startsWith("{") && segment.endsWith("}")) {
            String name = segment.substring(1, segment.length() - 1);
            for (Resource child : node.children(previous)) {
                if (child.avoids(template)) {
                    continue;
                }
                values.put(name, child.id());
                expand(template, segments, i + 1, child, previous, values, out);
                values.remove(name);
            }
        } else {
            expand(template, segments, i + 1, node, segment, values, out);
        }
    }

    private List<byte[]> validQuery(Operation op, String ownCursor, Resource home, Random random, boolean optional) {
        List<byte[]> query = new ArrayList<>();
        boolean coin = random.nextBoolean(); // drawn either way, so the harvest does not shift later values
        boolean withCursor = optional && ownCursor != null && op.query("cursor") != null && coin;
        for (Param p : op.in("query")) {
            String name = p.name();
            if (name.equals("cursor")) {
                if (withCursor) {
                    query.add(("cursor=" + encode(ownCursor)).getBytes(StandardCharsets.US_ASCII));
                }
                continue;
            }
            // a cursor is bound to the filters of the page that issued it: none were used then
            if (withCursor && !name.equals("limit")) {
                continue;
            }
            if (!p.required() && (!optional || random.nextInt(5) >= 2)) {
                continue;
            }
            String value = validQueryValue(op, p, home, random);
            if (value != null) {
                query.add((name + "=" + encode(value)).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return query;
    }

    /** Query parameters are all documented as strings; their descriptions and names say what they hold. */
    private String validQueryValue(Operation op, Param p, Resource home, Random random) {
        String name = p.name();
        List<JsonNode> hinted = env.hints(0, op.key() + " ?" + name);
        if (!hinted.isEmpty()) {
            return pick(random, hinted).asText();
        }
        List<String> quoted = quotedWords(p.description());
        return switch (name) {
            case "limit" -> String.valueOf(1 + random.nextInt(100));
            case "count" -> String.valueOf(1 + random.nextInt(20));
            case "since_seq" -> String.valueOf(random.nextInt(5));
            case "force" -> String.valueOf(random.nextBoolean());
            case "from", "to" -> Instant.parse("2024-01-01T00:00:00Z").plus(random.nextInt(3000), ChronoUnit.DAYS).toString();
            case "status" -> pick(random, List.of("active", "paused", "invited", "deactivated", "queued", "running",
                    "completed", "failed", "cancelled", "succeeded"));
            case "type" -> pick(random, List.of("postgresql", "mysql", "csv", "json", "rest_api"));
            case "trigger" -> pick(random, List.of("manual", "schedule", "retry"));
            case "role" -> pick(random, List.of("admin", "governance_admin", "editor", "viewer"));
            case "project_id" -> home.children("projects").isEmpty() ? uuid(random)
                    : pick(random, home.children("projects")).id();
            default -> {
                if (name.endsWith("_id")) {
                    yield uuid(random);
                }
                yield quoted.isEmpty() ? "fuzz" + random.nextInt(1000) : pick(random, quoted);
            }
        };
    }

    private static List<String> quotedWords(String description) {
        List<String> words = new ArrayList<>();
        java.util.regex.Matcher matcher = Pattern.compile("`([^`\\s]+)`").matcher(description == null ? "" : description);
        while (matcher.find()) {
            words.add(matcher.group(1));
        }
        return words;
    }

    private String badQueryValue(Param p, Random random) {
        List<String> generic = List.of("%27%20OR%20%271%27%3D%271", "%0D%0AX-Injected%3A%201", "x".repeat(5000),
                "%F0%9F%98%80", "-1", "99999999999999999999", "%2e%2e%2f");
        List<String> specific = switch (p.name()) {
            case "count", "since_seq" -> List.of("0", "-1", "101", "abc", "1.5", "99999999999999999999");
            case "force" -> List.of("maybe", "2", "yes");
            case "from", "to" -> List.of("yesterday", "2024-13-45T00:00:00Z", "1700000000", "2024-01-01");
            default -> p.name().endsWith("_id") ? List.of("not-a-uuid", "123") : List.of("bogus", "ACTIVE");
        };
        return random.nextBoolean() ? pick(random, specific) : pick(random, generic);
    }

    private record BodyAndType(byte[] body, String contentType, boolean chunked, Set<Integer> expected, String note,
            Set<String> documentedNames) {
        BodyAndType(byte[] body, String contentType, boolean chunked, Set<Integer> expected, String note) {
            this(body, contentType, chunked, expected, note, Set.of());
        }
    }

    private BodyAndType jsonBody(Operation op, Mutation m, int tenant, Random random) {
        Body spec = op.body();
        List<String> jsonTypes = spec.mediaTypes().stream().filter(t -> t.contains("json")).toList();
        String contentType = pick(random, jsonTypes);
        // a merge patch is usually partial; a mutated body carries more fields, so there is something to break
        boolean partial = spec.mergePatch() && (m == Mutation.VALID || m == Mutation.AS_DOCUMENTED);
        Generated candidate = null;
        for (int attempt = 0; attempt < 8; attempt++) {
            candidate = new Generated(random, tenant, m == Mutation.AS_DOCUMENTED);
            candidate.root = candidate.value(spec.schema(), null, null, List.of(), true, partial, 0);
            if (candidate.root instanceof ObjectNode object && m != Mutation.AS_DOCUMENTED) {
                env.fixBody(op, object, random);
            }
            if (suits(candidate, m)) {
                break;
            }
        }
        Generated g = candidate;
        Set<Integer> invalid = Set.of(400, 422);
        String note = null;
        Set<Integer> expected = null;
        String placeholderJson = null;
        byte[] placeholderRaw = null;
        boolean chunked = false;
        switch (m) {
            case WRONG_TYPE -> {
                List<Slot> typed = typedSlots(g);
                if (typed.isEmpty() || random.nextInt(6) == 0) {
                    g.root = pick(random, List.<JsonNode>of(NODES.arrayNode(), NODES.textNode("text"), NODES.numberNode(42),
                            NODES.booleanNode(true)));
                    note = "the body is " + g.root.getNodeType().name().toLowerCase(Locale.ROOT);
                } else {
                    Slot slot = pick(random, typed);
                    JsonNode wrong = wrongType(slot.schema(), random);
                    set(g.root, slot.path(), wrong);
                    note = pathText(slot.path()) + " set to " + wrong;
                }
                expected = invalid;
            }
            case MISSING_REQUIRED -> {
                List<Slot> required = requiredSlots(g);
                if (required.isEmpty()) {
                    g.root = NODES.objectNode();
                    note = "an empty object";
                } else {
                    Slot slot = pick(random, required);
                    // a free-form (JsonNode) field reads null as a JSON null value, not as absent
                    if (random.nextInt(3) == 0 && !slot.hinted()) {
                        set(g.root, slot.path(), NODES.nullNode());
                        note = pathText(slot.path()) + " is null";
                    } else {
                        remove(g.root, slot.path());
                        note = pathText(slot.path()) + " is missing";
                    }
                }
                expected = invalid;
            }
            case UNKNOWN_FIELD -> {
                List<Slot> objects = g.slots.stream().filter(s -> !s.hinted() && live(g.root, s)
                        && at(g.root, s.path()) instanceof ObjectNode && s.schema().has("properties")).toList();
                Slot slot = objects.isEmpty() ? null : pick(random, objects);
                JsonNode target = slot == null ? g.root : at(g.root, slot.path());
                String field = "fuzz_" + Long.toString(Math.abs(random.nextLong()), 36).substring(0, 6);
                if (target instanceof ObjectNode object) {
                    // never null: in a merge patch, null only removes a member, which an unknown one is not
                    object.set(field, pick(random, List.<JsonNode>of(NODES.textNode("x"), NODES.numberNode(1),
                            NODES.objectNode(), NODES.booleanNode(true))));
                }
                note = (slot == null || slot.path().isEmpty() ? "" : pathText(slot.path()) + ".") + field + " is not a field";
                expected = Set.of(400);
            }
            case OUT_OF_RANGE -> {
                List<Slot> constrained = constrainedSlots(g, new Random(0));
                if (constrained.isEmpty()) {
                    g.root = NODES.objectNode();
                    note = "nothing to push out of range: an empty object";
                } else {
                    Slot slot = pick(random, constrained);
                    JsonNode bad = outOfRange(slot.schema(), at(g.root, slot.path()), random);
                    set(g.root, slot.path(), bad);
                    note = pathText(slot.path()) + " = " + abbreviate(bad.toString(), 60);
                }
                expected = invalid;
            }
            case NASTY_STRING, NUL_IN_STRING, LONE_SURROGATE -> {
                List<Slot> strings = m == Mutation.LONE_SURROGATE ? preferSecrets(stringSlots(g), random) : stringSlots(g);
                // U+0000 is valid JSON and valid Unicode, but PostgreSQL text cannot hold it; an unpaired surrogate
                // escape is valid JSON but not Unicode text
                String nasty = pick(random, switch (m) {
                    case NUL_IN_STRING -> List.of("\\u0000", "a\\u0000b");
                    case LONE_SURROGATE -> List.of("\\ud800", "a\\udc00b", "\\udfff\\ud800");
                    default -> NASTY;
                });
                if (strings.isEmpty()) {
                    note = "no string field";
                } else {
                    Slot slot = pick(random, strings);
                    set(g.root, slot.path(), NODES.textNode(PLACEHOLDER));
                    placeholderJson = "\"" + nasty + "\"";
                    note = pathText(slot.path()) + " = \"" + nasty + "\"";
                    if (m == Mutation.LONE_SURROGATE) {
                        expected = invalid; // no store keeps such text as sent
                    }
                }
            }
            case HUGE_BODY, HUGE_BODY_CHUNKED -> {
                long size = env.jsonBodyLimit() + 1024;
                List<Slot> strings = stringSlots(g);
                String padding = "x".repeat((int) size);
                if (strings.isEmpty() || !(g.root instanceof ObjectNode)) {
                    g.root = NODES.objectNode().put("padding", padding);
                } else {
                    set(g.root, pick(random, strings).path(), NODES.textNode(padding));
                }
                chunked = m == Mutation.HUGE_BODY_CHUNKED;
                note = "body over " + env.jsonBodyLimit() + " bytes" + (chunked ? ", chunked without Content-Length" : "");
                expected = Set.of(413);
            }
            case DEEP_NESTING -> {
                expected = Set.of(400);
                int variant = random.nextInt(4);
                byte[] deep = switch (variant) {
                    case 0 -> "[".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
                    case 1 -> ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.US_ASCII);
                    case 2 -> ("{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000)).getBytes(StandardCharsets.US_ASCII);
                    default -> null;
                };
                if (deep != null) {
                    return new BodyAndType(deep, contentType, false, expected, "nested " + (variant == 2 ? 5_000 : 10_000)
                            + " levels deep");
                }
                List<Slot> any = g.slots.stream().filter(s -> !s.path().isEmpty() && live(g.root, s)).toList();
                if (any.isEmpty() || !(g.root instanceof ObjectNode)) {
                    g.root = NODES.objectNode().put("nested", PLACEHOLDER);
                } else {
                    set(g.root, pick(random, any).path(), NODES.textNode(PLACEHOLDER));
                }
                placeholderJson = "[".repeat(5_000) + "]".repeat(5_000);
                note = "a field nested 5000 arrays deep";
            }
            case MALFORMED_JSON -> {
                String valid = write(g.root);
                int variant = random.nextInt(8);
                String broken = switch (variant) {
                    case 0 -> valid.substring(0, Math.max(1, valid.length() / 2));
                    case 1 -> valid.replace('"', '\'');
                    case 2 -> valid.length() > 2 ? valid.substring(0, valid.length() - 1) + ",}" : "{,}";
                    case 3 -> "/* comment */" + valid;
                    case 4 -> "{\"a\": NaN}";
                    case 5 -> "{name: \"x\"}";
                    case 6 -> "{";
                    default -> valid.length() > 2 ? valid.substring(0, valid.length() - 2) + "\"" : "\"";
                };
                if (broken.equals(valid)) {
                    broken = "{" + valid; // a body without quotes to replace
                }
                return new BodyAndType(broken.getBytes(StandardCharsets.UTF_8), contentType, false, Set.of(400),
                        "malformed JSON: " + List.of("truncated", "single quotes", "trailing comma", "comment", "NaN",
                                "unquoted name", "lone brace", "unterminated string").get(variant));
            }
            case TRAILING_JSON -> {
                String valid = write(g.root);
                int variant = random.nextInt(3);
                String trailing = switch (variant) {
                    case 0 -> valid + valid;
                    case 1 -> valid + " }x";
                    default -> valid + " []";
                };
                return new BodyAndType(trailing.getBytes(StandardCharsets.UTF_8), contentType, false, Set.of(400),
                        List.of("two documents", "trailing garbage", "a second value").get(variant) + " after the body");
            }
            case INVALID_UTF8_BODY, OVERLONG_UTF8_BODY -> {
                List<Slot> strings = m == Mutation.OVERLONG_UTF8_BODY ? preferSecrets(stringSlots(g), random) : stringSlots(g);
                if (strings.isEmpty() || !(g.root instanceof ObjectNode)) {
                    g.root = NODES.objectNode().put("name", PLACEHOLDER);
                } else {
                    set(g.root, pick(random, strings).path(), NODES.textNode(PLACEHOLDER));
                }
                byte[] bad = pick(random, m == Mutation.OVERLONG_UTF8_BODY ? OVERLONG_UTF8 : BAD_UTF8_BYTES);
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                raw.write('"');
                raw.writeBytes("ok".getBytes(StandardCharsets.US_ASCII));
                raw.writeBytes(bad);
                raw.write('"');
                placeholderRaw = raw.toByteArray();
                expected = Set.of(400);
                note = "a string with bytes " + HexFormat.of().formatHex(bad)
                        + (m == Mutation.OVERLONG_UTF8_BODY ? " (an overlong encoding of '/')" : " (not UTF-8)");
            }
            case EMPTY_BODY -> {
                String empty = pick(random, List.of("", "null", "   "));
                return new BodyAndType(empty.getBytes(StandardCharsets.US_ASCII), contentType, false, Set.of(400),
                        "body '" + empty + "'");
            }
            case WRONG_CONTENT_TYPE -> {
                String wrong = pick(random, List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=fuzz", "application/octet-stream", "text/json",
                        "application/json-patch+json", ""));
                return new BodyAndType(write(g.root).getBytes(StandardCharsets.UTF_8), wrong.isEmpty() ? null : wrong,
                        false, Set.of(415), wrong.isEmpty() ? "no Content-Type" : "Content-Type " + wrong);
            }
            default -> {
            }
        }
        byte[] bytes = write(g.root).getBytes(StandardCharsets.UTF_8);
        if (placeholderJson != null || placeholderRaw != null) {
            bytes = replace(bytes, ("\"" + PLACEHOLDER + "\"").getBytes(StandardCharsets.US_ASCII),
                    placeholderRaw != null ? placeholderRaw : placeholderJson.getBytes(StandardCharsets.UTF_8));
        }
        return new BodyAndType(bytes, contentType, chunked, expected, note, g.renamed);
    }

    /** Whether a generated body has what the mutation changes (a typed field, a required one, a bounded one...). */
    private boolean suits(Generated g, Mutation m) {
        Random probe = new Random(0);
        return switch (m) {
            case WRONG_TYPE -> !typedSlots(g).isEmpty();
            case MISSING_REQUIRED -> !requiredSlots(g).isEmpty();
            case OUT_OF_RANGE -> !constrainedSlots(g, probe).isEmpty();
            case NASTY_STRING, NUL_IN_STRING, LONE_SURROGATE, INVALID_UTF8_BODY, OVERLONG_UTF8_BODY, HUGE_BODY,
                    HUGE_BODY_CHUNKED -> !stringSlots(g).isEmpty();
            default -> true;
        };
    }

    private List<Slot> typedSlots(Generated g) {
        return g.slots.stream().filter(s -> !s.path().isEmpty() && !s.hinted() && live(g.root, s)).toList();
    }

    private List<Slot> requiredSlots(Generated g) {
        return g.slots.stream().filter(s -> s.required() && !s.path().isEmpty() && s.path().getLast() instanceof String
                && live(g.root, s)).toList();
    }

    private List<Slot> constrainedSlots(Generated g, Random random) {
        return g.slots.stream().filter(s -> !s.path().isEmpty() && !s.hinted() && live(g.root, s)
                && outOfRange(s.schema(), at(g.root, s.path()), random) != null).toList();
    }

    private BodyAndType multipartBody(Operation op, Mutation m, Random random) {
        String boundary = "fuzz" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
        String type = "multipart/form-data; boundary=" + boundary;
        String part = "file";
        byte[] content = "id,name\n1,alpha\n2,beta\n".getBytes(StandardCharsets.UTF_8);
        String note = null;
        Set<Integer> expected = null;
        boolean chunked = false;
        switch (m) {
            case WRONG_CONTENT_TYPE -> {
                String wrong = pick(random, List.of("application/json", "text/plain", "application/octet-stream"));
                byte[] body = wrong.equals("application/json") ? "{\"file\":\"x\"}".getBytes(StandardCharsets.US_ASCII)
                        : content;
                return new BodyAndType(body, wrong, false, Set.of(415), "Content-Type " + wrong);
            }
            case HUGE_BODY, HUGE_BODY_CHUNKED -> {
                content = "a".repeat((int) env.uploadLimit() + 1024).getBytes(StandardCharsets.US_ASCII);
                chunked = m == Mutation.HUGE_BODY_CHUNKED;
                expected = Set.of(413);
                note = "file over " + env.uploadLimit() + " bytes" + (chunked ? ", chunked" : "");
            }
            case MALFORMED_MULTIPART -> {
                String broken = pick(random, List.of("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"",
                        "--other\r\n\r\nx\r\n--other--\r\n", "garbage", "--" + boundary + "\r\n\r\n"));
                return new BodyAndType(broken.getBytes(StandardCharsets.US_ASCII), type, false, Set.of(400),
                        "malformed multipart");
            }
            case MISSING_REQUIRED -> {
                part = "other";
                expected = Set.of(400, 422);
                note = "no part named file";
            }
            case EMPTY_BODY -> {
                return new BodyAndType(new byte[0], type, false, Set.of(400), "empty multipart body");
            }
            default -> {
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part
                + "\"; filename=\"fuzz.csv\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return new BodyAndType(body.toByteArray(), type, chunked, expected, note);
    }

    private List<Slot> stringSlots(Generated g) {
        return g.slots.stream().filter(s -> !s.path().isEmpty() && live(g.root, s) && at(g.root, s.path()) instanceof TextNode)
                .toList();
    }

    /** Every other time, only the write-only fields, if any: secrets are encrypted, which needs well-formed text. */
    private static List<Slot> preferSecrets(List<Slot> strings, Random random) {
        List<Slot> secrets = strings.stream().filter(x -> x.schema().path("writeOnly").asBoolean(false)).toList();
        return !secrets.isEmpty() && random.nextBoolean() ? secrets : strings;
    }

    /** Whether the slot's value is still in the body (an earlier edit may have replaced its parent). */
    private static boolean live(JsonNode root, Slot slot) {
        return at(root, slot.path()) != null;
    }

    private static JsonNode wrongType(JsonNode schema, Random random) {
        // only shapes Jackson never coerces: numbers and booleans become strings, "12" becomes 12
        return switch (type(schema)) {
            case "integer", "number" -> pick(random, List.<JsonNode>of(NODES.textNode("not-a-number"), NODES.arrayNode(),
                    NODES.objectNode()));
            case "boolean" -> pick(random, List.<JsonNode>of(NODES.textNode("maybe"), NODES.arrayNode().add(true),
                    NODES.objectNode()));
            case "object" -> pick(random, List.<JsonNode>of(NODES.arrayNode(), NODES.textNode("text"), NODES.numberNode(7)));
            case "array" -> pick(random, List.<JsonNode>of(NODES.objectNode(), NODES.textNode("text"), NODES.numberNode(7)));
            default -> pick(random, List.<JsonNode>of(NODES.arrayNode().add(1), NODES.objectNode().put("x", 1)));
        };
    }

    private static JsonNode outOfRange(JsonNode schema, JsonNode current, Random random) {
        List<JsonNode> options = new ArrayList<>();
        String type = type(schema);
        if (type.equals("integer") || type.equals("number")) {
            if (schema.has("minimum")) {
                options.add(NODES.numberNode(schema.path("minimum").asLong() - 1));
            }
            if (schema.has("maximum")) {
                options.add(NODES.numberNode(schema.path("maximum").asLong() + 1));
                options.add(NODES.numberNode(new java.math.BigInteger("99999999999999999999")));
                options.add(NODES.numberNode(new java.math.BigDecimal("1e400")));
            }
            if (type.equals("integer") && (schema.has("minimum") || schema.has("maximum"))) {
                options.add(NODES.numberNode(2_147_483_648L));
            }
        }
        if (type.equals("string")) {
            if (schema.has("maxLength")) {
                options.add(NODES.textNode("y".repeat(schema.path("maxLength").asInt() + 1)));
            }
            if (schema.path("minLength").asInt(0) > 0) {
                options.add(NODES.textNode("y".repeat(schema.path("minLength").asInt() - 1)));
            }
            if (schema.has("enum") || PatternStrings.literalAlternatives(schema.path("pattern").asText("")) != null) {
                options.add(NODES.textNode("bogus-value"));
            } else if (schema.path("pattern").asText().equals("\\S")) {
                options.add(NODES.textNode("   "));
            } else if (schema.has("pattern")) {
                options.add(NODES.textNode("!!not matching!!"));
            }
            String format = schema.path("format").asText("");
            if (format.equals("uuid")) {
                options.add(NODES.textNode("not-a-uuid"));
            } else if (format.equals("date-time")) {
                options.add(NODES.textNode(pick(random, List.of("yesterday", "2024-13-45T25:61:00Z", "2024-01-01"))));
            }
        }
        if (type.equals("array") && current instanceof ArrayNode array) {
            if (schema.has("maxItems")) {
                ArrayNode longer = NODES.arrayNode();
                JsonNode item = array.isEmpty() ? NODES.textNode("a") : array.get(0);
                for (int i = 0; i <= schema.path("maxItems").asInt(); i++) {
                    longer.add(item.deepCopy());
                }
                options.add(longer);
            }
            if (schema.path("minItems").asInt(0) > 0) {
                options.add(NODES.arrayNode());
            }
        }
        return options.isEmpty() ? null : pick(random, options);
    }

    private static JsonNode at(JsonNode root, List<Object> path) {
        JsonNode node = root;
        for (Object step : path) {
            if (node == null) {
                return null;
            }
            if (step instanceof Integer i) {
                node = node.isArray() ? node.get(i) : null;
            } else {
                node = node.isObject() ? node.get((String) step) : null;
            }
        }
        return node;
    }

    private static void set(JsonNode root, List<Object> path, JsonNode value) {
        JsonNode parent = at(root, path.subList(0, path.size() - 1));
        Object last = path.getLast();
        if (parent instanceof ObjectNode object) {
            object.set((String) last, value);
        } else if (parent instanceof ArrayNode array) {
            array.set((Integer) last, value);
        }
    }

    private static void remove(JsonNode root, List<Object> path) {
        JsonNode parent = at(root, path.subList(0, path.size() - 1));
        Object last = path.getLast();
        if (parent instanceof ObjectNode object) {
            object.remove((String) last);
        } else if (parent instanceof ArrayNode array) {
            array.remove((Integer) last);
        }
    }

    private static String pathText(List<Object> path) {
        StringBuilder out = new StringBuilder();
        for (Object step : path) {
            if (step instanceof Integer i) {
                out.append('[').append(i).append(']');
            } else {
                out.append(out.isEmpty() ? "" : ".").append(step);
            }
        }
        return out.toString();
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] replace(byte[] haystack, byte[] needle, byte[] replacement) {
        String h = new String(haystack, StandardCharsets.ISO_8859_1);
        int at = h.indexOf(new String(needle, StandardCharsets.ISO_8859_1));
        if (at < 0) {
            return haystack;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(haystack, 0, at);
        out.writeBytes(replacement);
        out.write(haystack, at + needle.length, haystack.length - at - needle.length);
        return out.toByteArray();
    }

    private static String tamper(String cursor, Random random) {
        char[] chars = cursor.toCharArray();
        int i = random.nextInt(chars.length);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char replacement;
        do {
            replacement = alphabet.charAt(random.nextInt(alphabet.length()));
        } while (replacement == chars[i]);
        chars[i] = replacement;
        return new String(chars);
    }

    private static String anyCursor(Map<String, String> cursors, Random random) {
        List<String> all = new ArrayList<>(cursors.values());
        return all.isEmpty() ? null : pick(random, all);
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static <T> T pick(Random random, List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…(" + s.length() + " chars)";
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sending and checking
    // ---------------------------------------------------------------------------------------------------------

    /** Sends a planned request and checks its answer. */
    Outcome run(Planned planned, FuzzHttp http) {
        Request request = build(planned);
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.writeBytes((request.method() + " ").getBytes(StandardCharsets.US_ASCII));
        head.writeBytes(request.target());
        head.writeBytes(" HTTP/1.1".getBytes(StandardCharsets.US_ASCII));
        request.headers().forEach((k, v) -> head.writeBytes(("\r\n" + k + ": " + v).getBytes(StandardCharsets.UTF_8)));
        long start = System.nanoTime();
        FuzzHttp.Reply reply;
        try {
            reply = http.exchange(head.toByteArray(), request.body(), request.chunked());
        } catch (FuzzHttp.NoResponse e) {
            Finding f = new Finding("no-response", planned.operation().key(), planned.mutation(), 0, e.getMessage(),
                    describe(planned, request), "(none)");
            return new Outcome(planned, 0, System.nanoTime() - start, List.of(f), f.request() + "\n< (no response)", false);
        }
        long nanos = System.nanoTime() - start;
        String exchange = describe(planned, request) + "\n" + indent(describe(reply), "< ") + "(" + nanos / 1_000_000 + " ms)";
        if (reply.status() == 503 && reply.text().contains("\"service_unavailable\"") && env.backingServiceInterrupted()) {
            return new Outcome(planned, reply.status(), nanos, List.of(), exchange, true);
        }
        return new Outcome(planned, reply.status(), nanos, check(planned, request, reply), exchange, false);
    }

    private List<Finding> check(Planned planned, Request request, FuzzHttp.Reply reply) {
        List<Finding> findings = new ArrayList<>();
        Operation op = planned.operation();
        int status = reply.status();
        String text = reply.text();
        java.util.function.BiConsumer<String, String> add = (kind, detail) -> findings.add(new Finding(kind, op.key(),
                planned.mutation(), status, detail, describe(planned, request), describe(reply)));
        if (status >= 500) {
            add.accept("server-error", "a 5xx answer");
        } else {
            if (!op.documented().contains(status)) {
                add.accept("undocumented-status", "documented: " + op.documented());
            }
            if (request.expected() != null && !request.expected().contains(status) && status != 429) {
                add.accept("unexpected-status", "expected " + request.expected().stream().map(String::valueOf)
                        .reduce((a, b) -> a + " or " + b).orElse("") + " for " + planned.mutation());
            }
        }
        String requestId = reply.header("X-Request-Id");
        if (requestId == null || !REQUEST_ID.matcher(requestId).matches()) {
            add.accept("request-id", "X-Request-Id is " + requestId);
        }
        if (status >= 400) {
            String problem = envelopeProblem(reply, requestId);
            if (problem != null) {
                add.accept("envelope", problem);
            }
            for (String leak : LEAKS) {
                if (text.contains(leak)) {
                    add.accept("leak", "the error body contains '" + leak.replace("\t", "\\t") + "'");
                    break;
                }
            }
        }
        for (String secret : env.secrets()) {
            if (text.contains(secret)) {
                add.accept("leak", "the body contains a secret the request sent");
            }
        }
        if (planned.mutation() == Mutation.AS_DOCUMENTED && status == 400
                && request.documentedNames().stream().anyMatch(text::contains)) {
            add.accept("documented-name-rejected", "the property names the document shows are refused: "
                    + request.documentedNames());
        }
        return findings;
    }

    private static String envelopeProblem(FuzzHttp.Reply reply, String requestId) {
        String type = reply.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return "Content-Type is " + type;
        }
        JsonNode body;
        try {
            body = JSON.readTree(reply.body());
        } catch (Exception e) {
            return "the body is not JSON";
        }
        JsonNode error = body == null ? null : body.get("error");
        if (error == null || !error.isObject()) {
            return "no error object";
        }
        if (!error.path("code").isTextual() || error.path("code").asText().isBlank()) {
            return "no error.code";
        }
        if (!error.path("message").isTextual()) {
            return "no error.message";
        }
        if (!error.path("request_id").isTextual() || !error.path("request_id").asText().equals(requestId)) {
            return "error.request_id " + error.path("request_id") + " is not the X-Request-Id " + requestId;
        }
        return null;
    }

    String describe(Planned planned, Request request) {
        StringBuilder out = new StringBuilder();
        out.append("#").append(planned.index()).append(" ").append(planned.mutation());
        if (!request.note().isEmpty()) {
            out.append(" (").append(request.note()).append(")");
        }
        out.append(", as ").append(request.credential()).append("\n");
        out.append(request.method()).append(' ').append(printable(request.target(), 300)).append(" HTTP/1.1\n");
        request.headers().forEach((k, v) -> out.append(k).append(": ")
                .append(k.equals("Authorization") ? v.substring(0, Math.min(v.length(), 17)) + "…" : v).append('\n'));
        if (request.body() != null) {
            out.append(request.chunked() ? "Transfer-Encoding: chunked\n" : "Content-Length: " + request.body().length + "\n");
            out.append('\n').append(printable(request.body(), 400));
        }
        return out.toString();
    }

    static String describe(FuzzHttp.Reply reply) {
        StringBuilder out = new StringBuilder();
        out.append(reply.status());
        for (String h : List.of("Content-Type", "X-Request-Id", "Allow")) {
            if (reply.header(h) != null) {
                out.append("\n").append(h).append(": ").append(reply.header(h));
            }
        }
        out.append("\n\n").append(printable(reply.body(), 600));
        return out.toString();
    }

    /** Bytes as text for a report: non-ASCII and control bytes escaped, long runs shortened. */
    static String printable(byte[] bytes, int max) {
        StringBuilder out = new StringBuilder();
        int shown = Math.min(bytes.length, max);
        for (int i = 0; i < shown; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f) {
                out.append((char) b);
            } else if (b == '\n') {
                out.append("\\n");
            } else {
                out.append(String.format("\\x%02X", b));
            }
        }
        if (bytes.length > max) {
            out.append("…(").append(bytes.length).append(" bytes)");
        }
        return out.toString();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Running a budget
    // ---------------------------------------------------------------------------------------------------------

    /** Totals of a run. */
    public static final class Summary {
        final Map<String, Map<Integer, Integer>> byOperation = new TreeMap<>();
        final Map<Mutation, Map<Integer, Integer>> byMutation = new EnumMap<>(Mutation.class);
        final Map<Integer, Integer> statuses = new TreeMap<>();
        final Map<String, List<Finding>> findings = new TreeMap<>();
        int sent;
        int serverErrors;
        int outages;
        long nanos;

        public int sent() {
            return sent;
        }

        public int serverErrors() {
            return serverErrors;
        }

        /** Findings grouped by signature, each with every occurrence. */
        public Map<String, List<Finding>> findings() {
            return findings;
        }

        private static boolean outage(Outcome outcome) {
            return outcome.outage();
        }

        void add(Outcome outcome) {
            sent++;
            int status = outcome.status();
            byOperation.computeIfAbsent(outcome.planned().operation().key(), k -> new TreeMap<>()).merge(status, 1, Integer::sum);
            byMutation.computeIfAbsent(outcome.planned().mutation(), k -> new TreeMap<>()).merge(status, 1, Integer::sum);
            statuses.merge(status, 1, Integer::sum);
            if (outage(outcome)) {
                outages++;
            } else if (status >= 500) {
                serverErrors++;
            }
            for (Finding f : outcome.findings()) {
                findings.computeIfAbsent(f.signature(), k -> new ArrayList<>()).add(f);
            }
        }
    }

    /**
     * Runs a plan against the server on the loopback HTTPS port, connecting from {@code clientAddress}; prints
     * progress to {@code out} and, when {@code log} is given, every request with its response.
     */
    public Summary run(List<Planned> plan, int port, String clientAddress, PrintStream out, PrintStream log) {
        Summary summary = new Summary();
        long start = System.nanoTime();
        try (FuzzHttp http = new FuzzHttp("127.0.0.1", port, clientAddress)) {
            for (Planned planned : plan) {
                Outcome outcome = run(planned, http);
                summary.add(outcome);
                if (log != null) {
                    log.println(outcome.exchange());
                }
                if (summary.sent % 500 == 0) {
                    out.printf("fuzz: %d/%d requests, %d findings so far%n", summary.sent, plan.size(), summary.findings.size());
                }
            }
        }
        summary.nanos = System.nanoTime() - start;
        return summary;
    }

    /**
     * The allow-list entry (a signature with {@code *} for any text) that covers a finding's signature, or null.
     */
    public static String knownAs(Map<String, String> known, String signature) {
        for (String pattern : known.keySet()) {
            String regex = java.util.Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote)
                    .reduce((a, b) -> a + ".*" + b).orElse("");
            if (signature.matches(regex)) {
                return pattern;
            }
        }
        return null;
    }

    /** The summary as printed: statuses per operation and mutation, then every finding with one example. */
    public String report(Summary summary, int budget, Map<String, String> known) {
        StringBuilder out = new StringBuilder();
        long probes = operations.stream().filter(Operation::probe).count();
        out.append(String.format("OpenAPI fuzz: seed=%d budget=%d tenants=%d operations=%d (+%d undocumented-method probes)%n",
                seed, budget, env.tenants(), operations.size() - probes, probes));
        long newFindings = summary.findings.keySet().stream().filter(k -> knownAs(known, k) == null).count();
        out.append(String.format("  sent %d requests in %.1f s; 5xx: %d; 429: %d; finding signatures: %d (%d known, %d new)%n",
                summary.sent, summary.nanos / 1e9, summary.serverErrors, summary.statuses.getOrDefault(429, 0),
                summary.findings.size(), summary.findings.size() - newFindings, newFindings));
        if (summary.outages > 0) {
            out.append(String.format("  503 while a backing service was restarted by someone else (not findings): %d%n",
                    summary.outages));
        }
        out.append("  statuses: ").append(histogram(summary.statuses)).append('\n');
        Map<Integer, Integer> valid = summary.byMutation.getOrDefault(Mutation.VALID, Map.of());
        int validOk = valid.entrySet().stream().filter(e -> e.getKey() >= 200 && e.getKey() < 400)
                .mapToInt(Map.Entry::getValue).sum();
        out.append(String.format("  valid requests handled with 2xx/3xx: %d of %d (the rest: state, such as a job"
                + " already completed or a resource deleted at the end)%n", validOk, total(valid)));
        out.append("  per mutation:\n");
        summary.byMutation.forEach((m, h) -> out.append(String.format("    %-19s %5d  %s%n", m, total(h), histogram(h))));
        out.append("  per operation:\n");
        summary.byOperation.forEach((op, h) -> out.append(String.format("    %-90s %4d  %s%n", op, total(h), histogram(h))));
        Map<String, List<String>> byEntry = new LinkedHashMap<>();
        known.keySet().forEach(pattern -> byEntry.put(pattern, new ArrayList<>()));
        List<String> fresh = new ArrayList<>();
        summary.findings.keySet().forEach(signature -> {
            String pattern = knownAs(known, signature);
            if (pattern == null) {
                fresh.add(signature);
            } else {
                byEntry.get(pattern).add(signature);
            }
        });
        if (!fresh.isEmpty()) {
            out.append("  NEW findings (not in the allow-list), one example each:\n");
            fresh.forEach(signature -> appendExample(out, signature, summary.findings.get(signature)));
        }
        out.append("  allow-listed findings (entry: signatures, occurrences; one example):\n");
        byEntry.forEach((pattern, signatures) -> {
            int occurrences = signatures.stream().mapToInt(k -> summary.findings.get(k).size()).sum();
            out.append("  * ").append(pattern).append(": ");
            if (signatures.isEmpty()) {
                out.append("not seen in this run (fixed, or not reached with this seed and budget)\n");
                return;
            }
            out.append(signatures.size()).append(" signatures, ").append(occurrences).append(" occurrences\n");
            appendExample(out, signatures.getFirst(), summary.findings.get(signatures.getFirst()));
        });
        return out.toString();
    }

    /** Every finding signature with its first occurrence, for the detailed findings file. */
    public String findingDetails(Summary summary, Map<String, String> known) {
        StringBuilder out = new StringBuilder();
        summary.findings.forEach((signature, list) -> {
            String pattern = knownAs(known, signature);
            out.append(pattern == null ? "[NEW]\n" : "[known: " + pattern + "]\n");
            appendExample(out, signature, list);
        });
        return out.toString();
    }

    private static void appendExample(StringBuilder out, String signature, List<Finding> occurrences) {
        Finding f = occurrences.getFirst();
        out.append("    - ").append(signature).append(" ×").append(occurrences.size()).append(": ").append(f.detail())
                .append('\n');
        out.append(indent(f.request(), "        > ")).append(indent(f.response(), "        < "));
    }

    private static int total(Map<Integer, Integer> histogram) {
        return histogram.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static String histogram(Map<Integer, Integer> histogram) {
        StringBuilder out = new StringBuilder();
        histogram.forEach((status, n) -> out.append(out.isEmpty() ? "" : " ").append(status == 0 ? "none" : status)
                .append('×').append(n));
        return out.toString();
    }

    private static String indent(String text, String prefix) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            out.append(prefix).append(line).append('\n');
        }
        return out.toString();
    }
}
