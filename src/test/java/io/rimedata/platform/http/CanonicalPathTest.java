package io.rimedata.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.http.impl.HttpUtils;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CanonicalPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api/v1/projects", "/api/v1/projects/", "/api/v1/projects/0190a3c2-7e5f-7abc-8def-0123456789ab",
            "/api/openapi.json", "/ui/run.html", "/api/v1/a%20b", "/api/v1/x%2525", "/api/v1/caf%C3%A9", "/api/v1/a:b@c+d"})
    void acceptsPathsAlreadyInNormalForm(String path) {
        assertNull(CanonicalPath.problem(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "api/v1", "/%61pi/v1", "/api/%76%31", "/api/v1/%7e", "/api//v1", "//api", "/api/v1/.",
            "/api/./v1", "/api/v1/..", "/api/x/../v1", "/api/%2e%2e/v1", "/api/.%2E/v1", "/api%2Fv1", "/api%2fv1",
            "/api\\v1", "/api%5Cv1", "/api;x=1/v1", "/api/v1;jsessionid=1", "/api%3Bx/v1", "/api/v1%00", "/api/v1%0a",
            "/api/v1%7F", "/api/v1%", "/api/v1%4", "/api/v1%zz", "/api/v1 x", "/api/v1\"", "/api/v1<x>", "/api/v1#x"})
    void refusesEveryOtherSpelling(String path) {
        assertNotNull(CanonicalPath.problem(path), path);
    }

    /** The property that makes the check sufficient: whatever it accepts, the router's normalisation leaves alone. */
    @Property(tries = 2000)
    void acceptedPathsAreWhatTheRouterDispatchesOn(@ForAll("paths") String path) {
        if (CanonicalPath.problem(path) == null) {
            assertEquals(path, HttpUtils.normalizePath(path));
        }
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("/", "//", ".", "..", "api", "v1", "platform", "%2e", "%2E", "%2f", "%2F", "%5c", "%61",
                        "%70", "%25", "%20", "%3b", ";", "\\", "~", "%7e", "-", "%2d", "x", "%c3%a9", "%00", ":", "@"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(3));
        return piece.list().ofMinSize(1).ofMaxSize(10).map(parts -> "/" + String.join("", parts));
    }
}
