package io.rimedata.identity;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Tenant roles from most to least powerful (§2.3). A token carries its role and, as {@code groups}, every role
 * it includes, so {@code @RolesAllowed(Role.EDITOR)} on a resource method means "editor or above".
 */
public enum Role {
    ADMIN, GOVERNANCE_ADMIN, EDITOR, VIEWER;

    public static final String ADMIN_NAME = "admin";
    public static final String GOVERNANCE_ADMIN_NAME = "governance_admin";
    public static final String EDITOR_NAME = "editor";
    public static final String VIEWER_NAME = "viewer";

    public String wireName() {
        return name().toLowerCase();
    }

    /** This role and every role below it. */
    public Set<String> groups() {
        return Arrays.stream(values()).filter(r -> r.ordinal() >= ordinal()).map(Role::wireName)
                .collect(Collectors.toUnmodifiableSet());
    }

    public boolean includes(Role other) {
        return ordinal() <= other.ordinal();
    }

    public static Optional<Role> parse(String wire) {
        if (wire == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(r -> r.wireName().equals(wire)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(Role::wireName).toList();
    }
}
