package io.rimedata.platform.http;

/**
 * The one spelling of a request path the server accepts. The router dispatches on a normalised path (percent-
 * encoded unreserved characters decoded, dot segments removed) while every filter before it reads the raw one; so
 * instead of teaching each filter to normalise, a request whose raw path is not already in normal form is refused
 * before any of them runs, and the path every decision sees is exactly the path the router dispatches on.
 */
public final class CanonicalPath {

    private CanonicalPath() {
    }

    /** Why {@code rawPath} is not canonical, or null when it is. */
    public static String problem(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return "The request path must start with '/'.";
        }
        int segmentStart = 1;
        for (int i = 1; i <= rawPath.length(); i++) {
            char c = i < rawPath.length() ? rawPath.charAt(i) : '/';
            if (c == '/') {
                String trouble = segment(rawPath, segmentStart, i, i == rawPath.length());
                if (trouble != null) {
                    return trouble;
                }
                segmentStart = i + 1;
            } else if (c == '%') {
                String trouble = escape(rawPath, i);
                if (trouble != null) {
                    return trouble;
                }
                i += 2;
            } else if (!allowed(c)) {
                return "The request path contains a character that must not appear in it.";
            }
        }
        return null;
    }

    private static String segment(String path, int start, int end, boolean last) {
        int length = end - start;
        if (length == 0 && !(last && start == path.length())) {
            return "The request path must not contain empty segments ('//').";
        }
        if ((length == 1 && path.charAt(start) == '.') || (length == 2 && path.startsWith("..", start))) {
            return "The request path must not contain '.' or '..' segments.";
        }
        return null;
    }

    private static String escape(String path, int at) {
        if (at + 2 >= path.length()) {
            return "The request path contains an incomplete percent-escape.";
        }
        int high = Character.digit(path.charAt(at + 1), 16);
        int low = Character.digit(path.charAt(at + 2), 16);
        if (high < 0 || low < 0) {
            return "The request path contains an invalid percent-escape.";
        }
        int value = high * 16 + low;
        if (value < 0x20 || value == 0x7f) {
            return "The request path must not carry encoded control characters.";
        }
        if (unreserved((char) value)) {
            return "The request path must not percent-encode unreserved characters such as letters, digits, '-', '.', '_' and '~'.";
        }
        if (value == '/' || value == '\\' || value == ';') {
            return "The request path must not carry an encoded '/', '\\' or ';'.";
        }
        return null;
    }

    /** RFC 3986 pchar minus ';' (matrix parameters) and '%' (handled as escapes). */
    private static boolean allowed(char c) {
        return unreserved(c) || c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*'
                || c == '+' || c == ',' || c == '=' || c == ':' || c == '@';
    }

    private static boolean unreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
