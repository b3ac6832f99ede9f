package io.rimedata.identity.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.rimedata.support.Api;
import io.rimedata.support.Routes;
import io.rimedata.support.TestTenant;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The route × role matrix, generated from the routes compiled into the application: for every route, anonymous
 * callers get 401 unless it is public, roles below its declared minimum get 403, and the minimum role and above get
 * past authorisation (any answer but 401/403: ids are random, so 404 and 400 are expected there).
 */
@QuarkusTest
class RoleMatrixTest {

    /** Most to least powerful, as in the contract. */
    private static final List<String> ROLES = List.of("admin", "governance_admin", "editor", "viewer");
    private static TestTenant tenant;

    @BeforeAll
    static void tenant() {
        tenant = Api.newTenantWithoutLogin();
    }

    @Test
    void everyRouteDeclaresItsAccessRule() throws IOException {
        List<String> undeclared = Routes.all().stream().filter(r -> r.rule() == null)
                .map(r -> r + " (" + r.declaredBy() + ")").toList();
        assertTrue(undeclared.isEmpty(), "routes without @RolesAllowed or @PermitAll: " + undeclared);
        for (Routes.Route route : Routes.all()) {
            boolean operatorRoute = route.path().startsWith("/api/v1/platform/");
            if (operatorRoute || route.rule().equals("platform_operator")) {
                // the operator's routes take only the operator's role, and nothing else takes it
                assertTrue(operatorRoute && route.rule().equals("platform_operator"), route + " and the operator role");
                continue;
            }
            assertTrue(route.rule().equals("permit_all") || route.rule().equals("runner") || ROLES.contains(route.rule()),
                    route + " names one known role: " + route.rule());
        }
    }

    @Test
    void matrixOfEveryTenantRouteAndRole() throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Routes.Route route : Routes.all()) {
            if (route.path().startsWith("/api/v1/platform/") || route.path().startsWith("/api/v1/test-support")) {
                continue; // operator routes: covered by PlatformTenantResourceTest
            }
            boolean isPublic = route.rule().equals("permit_all");
            int anonymous = call(Api.tenant(tenant.subdomain()), route).statusCode();
            if (!isPublic && anonymous != 401) {
                failures.add(route + " anonymous → " + anonymous + ", expected 401");
            }
            for (String role : ROLES) {
                int status = call(Api.as(Api.minted(tenant.subdomain(), role, Api.randomId())), route).statusCode();
                // runner routes take runner tokens only: every user role is refused
                boolean allowed = isPublic || (!route.rule().equals("runner") && ROLES.indexOf(role) <= ROLES.indexOf(route.rule()));
                if (allowed && (status == 401 || status == 403)) {
                    failures.add(route + " as " + role + " → " + status + ", expected access");
                } else if (!allowed && status != 403) {
                    failures.add(route + " as " + role + " → " + status + ", expected 403");
                }
                checked++;
            }
        }
        assertTrue(checked > 20, "the matrix covered the routes");
        assertEquals(List.of(), failures);
    }

    private static Response call(RequestSpecification request, Routes.Route route) {
        String path = route.path().substring("/api/v1".length()).replaceAll("\\{[^}]+}", Api.randomId());
        if (path.endsWith("/upload")) {
            request = request.multiPart("file", "empty.csv", new byte[0]);
        } else if (route.verb().equals("POST") || route.verb().equals("PATCH") || route.verb().equals("PUT")) {
            request = request.contentType("application/json").body("{}");
        }
        return request.request(route.verb(), path);
    }
}
