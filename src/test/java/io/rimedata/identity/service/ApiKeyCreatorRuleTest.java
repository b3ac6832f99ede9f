package io.rimedata.identity.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whether a key's creator, as they are now, still stands behind the key. */
class ApiKeyCreatorRuleTest {

    @ParameterizedTest(name = "key {0}, creator {1} ({2}) -> {3}")
    @CsvSource(nullValues = "null", value = {
            "editor, editor, active, true",
            "viewer, editor, active, true",
            "editor, admin, active, true",
            "admin, admin, active, true",
            "governance_admin, admin, active, true",
            "editor, viewer, active, false",
            "admin, governance_admin, active, false",
            "governance_admin, editor, active, false",
            "viewer, admin, deactivated, false",
            "viewer, admin, invited, false",
            "viewer, null, null, false",
            "viewer, superuser, active, false",
            "root, admin, active, false",
    })
    void aKeyLivesOnlyWhileItsCreatorIsActiveAndAtLeastItsRole(String key, String creatorRole, String status,
            boolean expected) {
        assertEquals(expected, ApiKeyService.creatorVouchesFor(key, creatorRole, status));
    }
}
