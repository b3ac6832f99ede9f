package io.rimedata.connector.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rimedata.connector.file.RecordProfiler;
import io.rimedata.platform.error.ApiException;
import io.rimedata.platform.error.Unprocessable;
import io.rimedata.platform.egress.BoundedBody;
import io.rimedata.platform.egress.CheckedUrl;
import io.rimedata.platform.egress.Egress;
import io.rimedata.platform.egress.EgressOrigin;
import io.rimedata.platform.egress.EgressRefused;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * REST API sources, reached with the Vert.x HTTP client: every auth method of §4 (OAuth2 client credentials included,
 * with the client authenticated by HTTP Basic at the token endpoint), a sample request per endpoint for discovery.
 * Every request (base URL, each page, the token endpoint) passes the egress policy and goes to the checked address;
 * redirects are not followed (a 3xx is an answer like any other non-2xx); next-page links must stay on the base URL's
 * origin, so credentials never travel to another host; bodies are read up to a size cap.
 */
@ApplicationScoped
public class RestApiDriver implements SourceDriver {

    private record Reply(int status, Buffer body, String link) {
    }

    /** Pages followed at most per endpoint, so a misbehaving API cannot keep a sync running forever. */
    static final int MAX_PAGES = 10_000;

    private final HttpClient client;
    private final ObjectMapper json;
    private final Egress egress;

    RestApiDriver(Vertx vertx, ObjectMapper json, Egress egress) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000).setMaxPoolSize(16));
        this.json = json;
        this.egress = egress;
    }

    @PreDestroy
    void close() {
        client.closeAndForget();
    }

    @Override
    public boolean serves(String type) {
        return "rest_api".equals(type);
    }

    @Override
    public Uni<ConnectionTest> test(SourceSpec spec, Duration timeout) {
        long start = System.nanoTime();
        List<ConnectionTest.Check> checks = new ArrayList<>();
        String base = spec.text("base_url");
        JsonNode endpoint = spec.config().path("endpoints").path(0);
        String url = join(base, endpoint.path("path").asText(""));
        return send(spec, "config.base_url", HttpMethod.GET, base, null, null, timeout).onItemOrFailure().transformToUni((reached, failure) -> {
            if (failure != null) {
                checks.add(ConnectionTest.Check.failed("reachability", "Could not reach " + base + ": "
                        + PostgresDriver.describe(failure, timeout)));
                checks.add(ConnectionTest.Check.skipped("authentication", "Not attempted: the API is unreachable."));
                checks.add(ConnectionTest.Check.skipped("read_permission", "Not attempted: the API is unreachable."));
                return Uni.createFrom().voidItem();
            }
            checks.add(ConnectionTest.Check.passed("reachability", "Reached " + base + " (HTTP " + reached.status() + ")."));
            return authorization(spec, timeout)
                    .chain(auth -> send(spec, "config.base_url", HttpMethod.GET, url, auth, null, timeout))
                    .onItemOrFailure().invoke((reply, error) -> {
                        if (error != null) {
                            checks.add(ConnectionTest.Check.failed("authentication", error instanceof ApiException
                                    && !(error instanceof EgressRefused) ? error.getMessage() : PostgresDriver.describe(error, timeout)));
                            checks.add(ConnectionTest.Check.skipped("read_permission", "Not attempted: authentication failed."));
                        } else if (reply.status() == 401 || reply.status() == 403) {
                            checks.add(ConnectionTest.Check.failed("authentication",
                                    "The API refused the credentials (HTTP " + reply.status() + ")."));
                            checks.add(ConnectionTest.Check.skipped("read_permission", "Not attempted: authentication failed."));
                        } else {
                            checks.add(ConnectionTest.Check.passed("authentication", "The API accepted the credentials."));
                            checks.add(readCheck(url, reply, endpoint));
                        }
                    })
                    .onFailure().recoverWithNull().replaceWithVoid();
        }).map(v -> ConnectionTest.of(checks, (System.nanoTime() - start) / 1_000_000));
    }

    @Override
    public Uni<DiscoveredSchema> discover(SourceSpec spec, Duration timeout) {
        return authorization(spec, timeout).chain(auth -> {
            Uni<List<DiscoveredSchema.Table>> tables = Uni.createFrom().item(new ArrayList<>());
            for (JsonNode endpoint : spec.config().path("endpoints")) {
                String path = endpoint.path("path").asText();
                String url = join(spec.text("base_url"), path);
                tables = tables.chain(found -> send(spec, "config.base_url", HttpMethod.GET, url, auth, null, timeout).map(reply -> {
                    if (reply.status() < 200 || reply.status() > 299) {
                        throw new Unprocessable("GET " + path + " answered HTTP " + reply.status() + ".");
                    }
                    RecordProfiler profiler = new RecordProfiler();
                    try {
                        for (JsonNode record : records(reply, endpoint)) {
                            profiler.accept(record);
                        }
                    } catch (java.io.IOException e) {
                        throw new Unprocessable("GET " + path + ": " + e.getMessage());
                    }
                    String name = tableOf(endpoint);
                    found.add(new DiscoveredSchema.Table(name, profiler.columns()));
                    return found;
                }));
            }
            return tables.map(DiscoveredSchema::new);
        }).onFailure(t -> !(t instanceof ApiException))
                .transform(t -> new Unprocessable("Schema discovery failed: " + PostgresDriver.describe(t, timeout)));
    }

    /**
     * Reads every page of one endpoint, following its pagination, and hands each page's records to {@code sink};
     * answers the number of records read.
     */
    public Uni<Long> extract(SourceSpec spec, JsonNode endpoint, Duration timeout, java.util.function.Function<List<JsonNode>, Uni<Void>> sink) {
        String first = join(spec.text("base_url"), endpoint.path("path").asText());
        return authorization(spec, timeout).chain(auth -> page(spec, first, endpoint, auth, timeout, sink, 1, 0, 0));
    }

    private Uni<Long> page(SourceSpec spec, String url, JsonNode endpoint, String[] auth, Duration timeout,
            java.util.function.Function<List<JsonNode>, Uni<Void>> sink, int pageNumber, long offset, long total) {
        JsonNode pagination = endpoint.path("pagination");
        String type = pagination.path("type").asText("none");
        int size = pagination.path("page_size").asInt(100);
        String requestUrl = switch (type) {
            case "page" -> withQuery(url, pagination.path("page_param").asText("page") + "=" + pageNumber + "&"
                    + pagination.path("size_param").asText("per_page") + "=" + size);
            case "offset" -> withQuery(url, pagination.path("offset_param").asText("offset") + "=" + offset + "&"
                    + pagination.path("limit_param").asText("limit") + "=" + size);
            default -> url;
        };
        String field = pageNumber == 1 ? "config.base_url" : "next page link";
        return send(spec, field, HttpMethod.GET, requestUrl, auth, null, timeout).chain(reply -> {
            if (reply.status() < 200 || reply.status() > 299) {
                return Uni.createFrom().failure(new Unprocessable("GET " + requestUrl + " answered HTTP " + reply.status() + "."));
            }
            List<JsonNode> records = records(reply, endpoint);
            long read = total + records.size();
            String next = switch (type) {
                case "page", "offset" -> records.size() < size ? null : url;
                case "cursor" -> nextCursor(reply, pagination, url);
                case "link_header" -> sameOrigin(spec.text("base_url"), requestUrl, nextLink(reply.link()));
                default -> null;
            };
            Uni<Void> written = records.isEmpty() ? Uni.createFrom().voidItem() : sink.apply(records);
            if (next == null || records.isEmpty() || pageNumber >= MAX_PAGES) {
                return written.replaceWith(read);
            }
            return written.chain(() -> page(spec, next, endpoint, auth, timeout, sink, pageNumber + 1, offset + records.size(), read));
        });
    }

    private String nextCursor(Reply reply, JsonNode pagination, String url) {
        try {
            JsonNode body = json.readTree(reply.body().getBytes());
            JsonNode cursor = body.at("/" + pagination.path("next_cursor_path").asText().replace('.', '/'));
            if (cursor.isMissingNode() || cursor.isNull() || cursor.asText().isEmpty()) {
                return null;
            }
            String base = url.replaceAll("([?&])" + java.util.regex.Pattern.quote(pagination.path("cursor_param").asText("cursor"))
                    + "=[^&]*", "$1").replaceAll("[?&]$", "");
            return withQuery(base, pagination.path("cursor_param").asText("cursor") + "="
                    + URLEncoder.encode(cursor.asText(), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new Unprocessable("The response is not JSON.");
        }
    }

    /** The {@code rel="next"} target of an RFC 8288 Link header, or null. */
    static String nextLink(String header) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(",")) {
            String[] pieces = part.split(";");
            for (int i = 1; i < pieces.length; i++) {
                if (pieces[i].trim().replace(" ", "").equalsIgnoreCase("rel=\"next\"")) {
                    String target = pieces[0].trim();
                    return target.startsWith("<") && target.endsWith(">") ? target.substring(1, target.length() - 1) : null;
                }
            }
        }
        return null;
    }

    /**
     * A next-page link resolved against the page that gave it; it must stay on the base URL's origin (scheme, host,
     * port), so the source's credentials never go to another host.
     */
    static String sameOrigin(String base, String current, String link) {
        if (link == null) {
            return null;
        }
        java.net.URI next;
        java.net.URI origin;
        try {
            next = new java.net.URI(current).resolve(new java.net.URI(link.strip()));
            origin = new java.net.URI(base);
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new Unprocessable("The next-page link is not a valid URL.");
        }
        if (!String.valueOf(next.getScheme()).equalsIgnoreCase(String.valueOf(origin.getScheme()))
                || !String.valueOf(next.getHost()).equalsIgnoreCase(String.valueOf(origin.getHost()))
                || port(next) != port(origin)) {
            throw new Unprocessable("The next-page link leaves the base URL's host (" + next.getScheme() + "://"
                    + next.getHost() + "); links to other hosts are not followed.");
        }
        return next.toString();
    }

    private static int port(java.net.URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String withQuery(String url, String query) {
        return url + (url.contains("?") ? "&" : "?") + query;
    }

    public static String tableOf(JsonNode endpoint) {
        return endpoint.hasNonNull("name") ? endpoint.get("name").asText() : tableName(endpoint.path("path").asText());
    }

    private ConnectionTest.Check readCheck(String url, Reply reply, JsonNode endpoint) {
        if (reply.status() < 200 || reply.status() > 299) {
            return ConnectionTest.Check.failed("read_permission", "GET " + url + " answered HTTP " + reply.status() + ".");
        }
        try {
            return ConnectionTest.Check.passed("read_permission", "Read " + records(reply, endpoint).size()
                    + " records from " + url + ".");
        } catch (Unprocessable e) {
            return ConnectionTest.Check.failed("read_permission", e.getMessage());
        }
    }

    /** The records of one response: the array at {@code records_path}, else the top-level array. */
    private List<JsonNode> records(Reply reply, JsonNode endpoint) {
        JsonNode body;
        try {
            body = json.readTree(reply.body().getBytes());
        } catch (java.io.IOException e) {
            throw new Unprocessable("The response is not JSON.");
        }
        String path = endpoint.path("records_path").asText(null);
        JsonNode array = path == null ? body : body.at("/" + path.replace('.', '/'));
        if (!array.isArray()) {
            throw new Unprocessable(path == null ? "The response is not a JSON array; set records_path."
                    : "records_path '" + path + "' does not lead to an array.");
        }
        List<JsonNode> records = new ArrayList<>();
        array.forEach(records::add);
        return records;
    }

    /** The Authorization (or API-key) header the configured method needs; OAuth2 fetches a token first. */
    private Uni<String[]> authorization(SourceSpec spec, Duration timeout) {
        JsonNode auth = spec.config().path("auth");
        String type = auth.path("type").asText("none");
        return switch (type) {
            case "api_key" -> Uni.createFrom().item(new String[] { auth.path("header_name").asText("X-API-Key"),
                    spec.secret("auth.value") });
            case "bearer" -> Uni.createFrom().item(new String[] { "Authorization", "Bearer " + spec.secret("auth.token") });
            case "basic" -> Uni.createFrom().item(new String[] { "Authorization", basic(auth.path("username").asText(),
                    spec.secret("auth.password")) });
            case "oauth2_client_credentials" -> token(spec, auth, spec.secret("auth.client_secret"), timeout)
                    .map(token -> new String[] { "Authorization", "Bearer " + token });
            default -> Uni.createFrom().item((String[]) null);
        };
    }

    private Uni<String> token(SourceSpec spec, JsonNode auth, String clientSecret, Duration timeout) {
        String form = "grant_type=client_credentials" + (auth.hasNonNull("scope")
                ? "&scope=" + URLEncoder.encode(auth.get("scope").asText(), StandardCharsets.UTF_8) : "");
        String[] header = { "Authorization", basic(auth.path("client_id").asText(), clientSecret) };
        return send(spec, "config.auth.token_url", HttpMethod.POST, auth.path("token_url").asText(), header, form, timeout).map(reply -> {
            if (reply.status() < 200 || reply.status() > 299) {
                throw new Unprocessable("The token endpoint refused the client credentials (HTTP " + reply.status() + ").");
            }
            try {
                JsonNode body = json.readTree(reply.body().getBytes());
                if (!body.path("access_token").isTextual()) {
                    throw new Unprocessable("The token endpoint's answer has no access_token.");
                }
                return body.get("access_token").asText();
            } catch (java.io.IOException e) {
                throw new Unprocessable("The token endpoint's answer is not JSON.");
            }
        });
    }

    /** One request to a URL that the egress policy checks first; {@code field} names where the URL came from. */
    private Uni<Reply> send(SourceSpec spec, String field, HttpMethod method, String url, String[] header, String form,
            Duration timeout) {
        boolean token = field.equals("config.auth.token_url");
        long limit = token ? egress.config().maxTokenResponseBytes() : egress.config().maxRestPageBytes();
        EgressOrigin origin = EgressOrigin.of(spec.tenantId(), null, "connector", spec.connectorId(), null);
        return egress.url(origin, field, url).chain(checked -> request(checked, method, header, form, timeout, limit,
                token ? "the token endpoint" : method + " " + checked.scheme() + "://" + checked.host() + checked.requestUri()));
    }

    private Uni<Reply> request(CheckedUrl checked, HttpMethod method, String[] header, String form, Duration timeout,
            long limit, String what) {
        RequestOptions options = checked.options(method)
                .setTimeout(timeout.toMillis()).putHeader("Accept", "application/json");
        if (header != null) {
            options.putHeader(header[0], header[1]);
        }
        if (form != null) {
            options.putHeader("Content-Type", "application/x-www-form-urlencoded");
        }
        return client.request(options)
                .chain(request -> form == null ? request.send() : request.send(form))
                .chain(response -> BoundedBody.read(response, limit, what).map(body -> new Reply(response.statusCode(), body,
                        response.getHeader("Link"))))
                .ifNoItem().after(timeout).fail();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String join(String base, String path) {
        if (path.isEmpty()) {
            return base;
        }
        return base.endsWith("/") == path.startsWith("/") ? (base.endsWith("/") ? base + path.substring(1) : base + "/" + path)
                : base + path;
    }

    private static String tableName(String path) {
        String trimmed = path.replaceAll("^/+|/+$", "");
        int slash = trimmed.lastIndexOf('/');
        String last = slash < 0 ? trimmed : trimmed.substring(slash + 1);
        return last.isEmpty() ? "records" : last.replaceAll("[^A-Za-z0-9_]", "_");
    }

}
