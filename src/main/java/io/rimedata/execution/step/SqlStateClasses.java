package io.rimedata.execution.step;

import java.util.Map;

/** The standard names of SQLSTATE classes (the first two characters), which say what kind of failure it was. */
final class SqlStateClasses {

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("08", "connection exception"),
            Map.entry("0A", "feature not supported"),
            Map.entry("0L", "invalid grantor"),
            Map.entry("0P", "invalid role specification"),
            Map.entry("21", "cardinality violation"),
            Map.entry("22", "data exception"),
            Map.entry("23", "integrity constraint violation"),
            Map.entry("25", "invalid transaction state"),
            Map.entry("28", "invalid authorization specification"),
            Map.entry("2B", "dependent privilege descriptors still exist"),
            Map.entry("2F", "SQL routine exception"),
            Map.entry("38", "external routine exception"),
            Map.entry("39", "external routine invocation exception"),
            Map.entry("3D", "invalid catalog name"),
            Map.entry("3F", "invalid schema name"),
            Map.entry("40", "transaction rollback"),
            Map.entry("42", "syntax error or access rule violation"),
            Map.entry("53", "insufficient resources"),
            Map.entry("54", "program limit exceeded"),
            Map.entry("55", "object not in prerequisite state"),
            Map.entry("57", "operator intervention"),
            Map.entry("58", "system error"),
            Map.entry("P0", "PL/pgSQL error"),
            Map.entry("XX", "internal error"));

    private SqlStateClasses() {
    }

    /** " (name)" for a known class, "" otherwise. */
    static String name(String sqlClass) {
        String name = NAMES.get(sqlClass);
        return name == null ? "" : " (" + name + ")";
    }
}
