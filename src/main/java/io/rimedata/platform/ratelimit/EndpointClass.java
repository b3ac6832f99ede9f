package io.rimedata.platform.ratelimit;

import java.util.Set;

/** The endpoint classes whose policies are configured (§1.3). */
public enum EndpointClass {
    READ, WRITE, ACTION, LOGIN;

    private static final Set<String> LOGIN_ROUTES = Set.of("/auth/login", "/auth/refresh", "/auth/invitations/accept");
    private static final Set<String> ACTION_VERBS = Set.of("sync", "test", "run", "runs", "retry", "cancel", "plan",
            "apply", "refresh", "restore", "acknowledge", "resolve");

    public String key() {
        return name().toLowerCase();
    }

    /** Classifies an endpoint from its method and route template (relative to {@code /api/v1}). */
    public static EndpointClass of(String method, String template) {
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return READ;
        }
        if ("POST".equals(method) && LOGIN_ROUTES.contains(template)) {
            return LOGIN;
        }
        if ("POST".equals(method)) {
            String last = template.substring(template.lastIndexOf('/') + 1);
            if (ACTION_VERBS.contains(last)) {
                return ACTION;
            }
        }
        return WRITE;
    }
}
