package io.rimedata.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;
import org.jboss.jandex.MethodInfo;

/** Every JAX-RS route compiled from src/main, with the access rule it declares (read from the bytecode). */
public final class Routes {

    private static final DotName PATH = DotName.createSimple("jakarta.ws.rs.Path");
    private static final DotName ROLES_ALLOWED = DotName.createSimple("jakarta.annotation.security.RolesAllowed");
    private static final DotName PERMIT_ALL = DotName.createSimple("jakarta.annotation.security.PermitAll");
    private static final List<String> VERBS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    /**
     * A route; {@code rule} is {@code "permit_all"}, the single role of {@code @RolesAllowed}, or null when the
     * route declares nothing.
     */
    public record Route(String verb, String path, String rule, String declaredBy) {
        @Override
        public String toString() {
            return verb + " " + path;
        }
    }

    private Routes() {
    }

    public static List<Route> all() throws IOException {
        Indexer indexer = new Indexer();
        try (Stream<Path> files = Files.walk(Path.of("target/classes/io/rimedata"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    indexer.index(in);
                }
            }
        }
        Index index = indexer.complete();
        List<Route> routes = new ArrayList<>();
        for (AnnotationInstance classPath : index.getAnnotations(PATH)) {
            if (classPath.target().kind() != AnnotationTarget.Kind.CLASS) {
                continue;
            }
            ClassInfo resource = classPath.target().asClass();
            for (MethodInfo method : resource.methods()) {
                for (String verb : VERBS) {
                    if (method.hasDeclaredAnnotation(DotName.createSimple("jakarta.ws.rs." + verb))) {
                        AnnotationInstance sub = method.declaredAnnotation(PATH);
                        String path = "/api/v1" + normalise(classPath.value().asString())
                                + (sub == null ? "" : normalise(sub.value().asString()));
                        routes.add(new Route(verb, path, rule(method, resource),
                                resource.simpleName() + "." + method.name()));
                    }
                }
            }
        }
        routes.sort(Comparator.comparing(Route::toString));
        return routes;
    }

    private static String rule(MethodInfo method, ClassInfo resource) {
        String own = rule(method.declaredAnnotation(ROLES_ALLOWED), method.hasDeclaredAnnotation(PERMIT_ALL));
        return own != null ? own : rule(resource.declaredAnnotation(ROLES_ALLOWED), resource.hasDeclaredAnnotation(PERMIT_ALL));
    }

    private static String rule(AnnotationInstance rolesAllowed, boolean permitAll) {
        if (permitAll) {
            return "permit_all";
        }
        if (rolesAllowed != null) {
            String[] roles = rolesAllowed.value().asStringArray();
            return roles.length == 1 ? roles[0] : String.join(",", roles);
        }
        return null;
    }

    private static String normalise(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        p = p.replaceAll("\\{(\\w+)\\s*:[^}]*}", "{$1}");
        return p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
    }
}
