package io.rimedata.pipeline.step;

/**
 * The SQL of a {@code validate} check: one query (SELECT, WITH, VALUES or TABLE), which the executor runs as the only
 * statement of a prepared statement (so PostgreSQL itself refuses a second one) through a cursor that reads one row,
 * inside a read-only transaction. Nothing wraps the query, so there is no wrapper to close. This lint refuses early,
 * as a 400 and in linear time, what cannot be such a query: a semicolon anywhere but at the very end, a parenthesis
 * closed that was not opened or left open, a literal or comment left open, another kind of statement. It reads the
 * text once, left to right, as PostgreSQL's lexer does (string, escape-string, dollar-quoted and identifier literals,
 * line and nested block comments).
 */
public final class CheckSql {

    /** Longest check SQL accepted, in characters. */
    public static final int MAX_LENGTH = 10_000;

    private CheckSql() {
    }

    /** The query without its trailing semicolons and whitespace, or an {@link IllegalArgumentException} saying why not. */
    public static String body(String sql) {
        String problem = problem(sql);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return sql.substring(0, end(sql)).strip();
    }

    /** Why this SQL cannot be a check, or null when it can. */
    public static String problem(String sql) {
        if (sql == null || sql.isBlank()) {
            return "Must not be blank.";
        }
        if (sql.length() > MAX_LENGTH) {
            return "Must be at most " + MAX_LENGTH + " characters.";
        }
        int depth = 0;
        int semicolon = -1;
        boolean first = true;
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == ';') {
                if (semicolon < 0) {
                    semicolon = i;
                }
                i++;
                continue;
            }
            if (semicolon >= 0) {
                return "Must be a single query: a semicolon may only end it.";
            }
            boolean comment = (c == '-' || c == '/') && i + 1 < n && sql.charAt(i + 1) == (c == '-' ? '-' : '*');
            if (first && !comment) {
                first = false;
                if (c != '(' && !startsWithQueryKeyword(sql, i)) {
                    return "Must be a query: SELECT, WITH, VALUES or TABLE.";
                }
            }
            int next;
            if (c == '\'') {
                next = closeQuote(sql, i + 1, '\'', escapeString(sql, i));
            } else if (c == '"') {
                next = closeQuote(sql, i + 1, '"', false);
            } else if (c == '$' && (i == 0 || !identifierPart(sql.charAt(i - 1)))) {
                next = dollarQuote(sql, i);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                next = lineEnd(sql, i + 2);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                next = blockCommentEnd(sql, i + 2);
            } else {
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth < 0) {
                    return "Closes a parenthesis it did not open.";
                }
                next = i + 1;
            }
            if (next < 0) {
                return "Leaves a quoted string, identifier or comment open.";
            }
            i = next;
        }
        return depth != 0 ? "Leaves a parenthesis open." : null;
    }

    private static boolean startsWithQueryKeyword(String sql, int at) {
        int end = at;
        while (end < sql.length() && identifierPart(sql.charAt(end))) {
            end++;
        }
        String word = sql.substring(at, end);
        return word.equalsIgnoreCase("select") || word.equalsIgnoreCase("with") || word.equalsIgnoreCase("values")
                || word.equalsIgnoreCase("table");
    }

    /** Where the query ends: before the first top-level semicolon (only trailing ones get past {@link #problem}). */
    private static int end(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == ';') {
                return i;
            }
            if (c == '\'') {
                i = closeQuote(sql, i + 1, '\'', escapeString(sql, i));
            } else if (c == '"') {
                i = closeQuote(sql, i + 1, '"', false);
            } else if (c == '$' && (i == 0 || !identifierPart(sql.charAt(i - 1)))) {
                i = dollarQuote(sql, i);
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                i = lineEnd(sql, i + 2);
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                i = blockCommentEnd(sql, i + 2);
            } else {
                i++;
            }
            if (i < 0) {
                return n;
            }
        }
        return n;
    }

    /** {@code E'…'}: backslash escapes apply (the executor pins standard_conforming_strings on for the rest). */
    private static boolean escapeString(String sql, int quote) {
        return quote > 0 && (sql.charAt(quote - 1) == 'e' || sql.charAt(quote - 1) == 'E')
                && (quote == 1 || !identifierPart(sql.charAt(quote - 2)));
    }

    /** Index after the closing quote ({@code ''} or {@code ""} doubled is an escaped quote), or -1. */
    private static int closeQuote(String sql, int from, char quote, boolean backslashes) {
        int n = sql.length();
        int i = from;
        while (i < n) {
            char c = sql.charAt(i);
            if (backslashes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < n && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return -1;
    }

    /** {@code $tag$…$tag$}: index after the closing tag, or -1; a {@code $} that opens no tag ({@code $1}) is one character. */
    private static int dollarQuote(String sql, int start) {
        int n = sql.length();
        int i = start + 1;
        if (i < n && identifierStart(sql.charAt(i))) {
            while (i < n && identifierPart(sql.charAt(i)) && sql.charAt(i) != '$') {
                i++;
            }
        }
        if (i >= n || sql.charAt(i) != '$') {
            return start + 1;
        }
        String tag = sql.substring(start, i + 1);
        int close = sql.indexOf(tag, i + 1);
        return close < 0 ? -1 : close + tag.length();
    }

    private static int lineEnd(String sql, int from) {
        int n = sql.length();
        int i = from;
        while (i < n && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
            i++;
        }
        return i;
    }

    /** PostgreSQL's block comments nest. Index after the comment, or -1 when it never closes. */
    private static int blockCommentEnd(String sql, int from) {
        int n = sql.length();
        int depth = 1;
        int i = from;
        while (i < n) {
            if (sql.charAt(i) == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                depth++;
                i += 2;
            } else if (sql.charAt(i) == '*' && i + 1 < n && sql.charAt(i + 1) == '/') {
                i += 2;
                if (--depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return -1;
    }

    private static boolean identifierStart(char c) {
        return Character.isLetter(c) || c == '_' || c > 127;
    }

    private static boolean identifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127;
    }
}
