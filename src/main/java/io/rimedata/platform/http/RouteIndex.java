package io.rimedata.platform.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.smallrye.openapi.runtime.OpenApiDocumentService;
import io.smallrye.openapi.runtime.io.Format;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which methods each route accepts, read from the OpenAPI document (generated at build time from the resources,
 * and tested to list every route), for the {@code Allow} header of 405 responses.
 */
@ApplicationScoped
public class RouteIndex {

    private record Route(Pattern pattern, Set<String> methods) {
    }

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch");

    private final OpenApiDocumentService documents;
    private final ObjectMapper mapper;
    private volatile List<Route> routes;

    RouteIndex(OpenApiDocumentService documents, ObjectMapper mapper) {
        this.documents = documents;
        this.mapper = mapper;
    }

    /** The {@code Allow} value for a request path, or null when no route has this path. */
    public String allow(String path) {
        for (Route route : routes()) {
            if (route.pattern().matcher(path).matches()) {
                return String.join(", ", route.methods());
            }
        }
        return null;
    }

    /**
     * The {@code Allow} value when the path exists but not with this method (a 405), else null (a 404: no such path,
     * or the method exists and the router turned the request down for another reason, such as an id that is not one).
     */
    public String allowIfWrongMethod(String path, String method) {
        String allow = allow(path);
        if (allow == null) {
            return null;
        }
        for (String m : allow.split(", ")) {
            if (m.equalsIgnoreCase(method)) {
                return null;
            }
        }
        return allow;
    }

    private List<Route> routes() {
        List<Route> current = routes;
        if (current == null) {
            current = load();
            routes = current;
        }
        return current;
    }

    private List<Route> load() {
        List<Route> loaded = new ArrayList<>();
        try {
            JsonNode paths = mapper.readTree(documents.getDocument("<default>", Format.JSON)).path("paths");
            paths.fields().forEachRemaining(entry -> {
                Set<String> methods = new TreeSet<>();
                entry.getValue().fieldNames().forEachRemaining(name -> {
                    if (HTTP_METHODS.contains(name)) {
                        methods.add(name.toUpperCase(Locale.ROOT));
                    }
                });
                if (methods.contains("GET")) {
                    methods.add("HEAD");
                }
                methods.add("OPTIONS");
                String regex = Pattern.quote(entry.getKey()).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q");
                loaded.add(new Route(Pattern.compile(regex), methods));
            });
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the OpenAPI document", e);
        }
        return loaded;
    }
}
