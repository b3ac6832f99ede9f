package io.rimedata.platform.http;

import io.rimedata.platform.error.BadRequest;

/** Query parameters parsed in the contract's terms: a bad value is a 400 naming the parameter. */
public final class QueryParams {

    private QueryParams() {
    }

    public static int intInRange(String name, String value, int defaultValue, int min, int max) {
        if (value == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw BadRequest.field(name, "Must be an integer from " + min + " to " + max + ".");
    }

    /** An optional enum-like filter: null, or one of the allowed values. */
    public static String oneOf(String name, String value, java.util.List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw BadRequest.field(name, "Must be one of " + String.join(", ", allowed) + ".");
        }
        return value;
    }

    public static boolean bool(String name, String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw BadRequest.field(name, "Must be true or false.");
    }
}
