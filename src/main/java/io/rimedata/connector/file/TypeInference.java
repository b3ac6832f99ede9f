package io.rimedata.connector.file;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Infers a column's type from its text values (§4): integer, decimal, date, timestamp, boolean, else varchar.
 * Dates may be ISO 8601, DD/MM/YYYY or MM/DD/YYYY; when every value fits both day-month orders, DD/MM wins (the
 * platform's home locale). Booleans are true/false/yes/no/1/0; a column of only 0s and 1s is boolean.
 */
public final class TypeInference {

    public static final String INTEGER = "integer";
    public static final String DECIMAL = "decimal";
    public static final String BOOLEAN = "boolean";
    public static final String DATE = "date";
    public static final String TIMESTAMP = "timestamp";
    public static final String VARCHAR = "varchar";

    private static final Pattern INT = Pattern.compile("[+-]?\\d{1,18}");
    private static final Pattern DEC = Pattern.compile("[+-]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][+-]?\\d+)?");
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])");
    private static final Pattern ISO_TIMESTAMP = Pattern.compile(
            "\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])[T ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})?");
    private static final Pattern SLASH_DATE = Pattern.compile("(\\d{1,2})/(\\d{1,2})/(\\d{4})");
    private static final Pattern SLASH_TIMESTAMP = Pattern.compile(
            "(\\d{1,2})/(\\d{1,2})/(\\d{4})[ T]([01]?\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?");
    private static final Set<String> BOOLEAN_WORDS = Set.of("true", "false", "yes", "no");
    private static final Set<String> BINARY = Set.of("0", "1");

    /** Accumulates the evidence of one column; feed it every non-null value, then ask {@link #type()}. */
    public static final class Column {
        private long seen;
        private boolean integer = true;
        private boolean decimal = true;
        private boolean bool = true;
        private boolean binaryOnly = true;
        private boolean isoDate = true;
        private boolean isoTimestamp = true;
        private boolean dayMonth = true;
        private boolean monthDay = true;
        private boolean slashTimestamp = true;
        private boolean slashDate = true;

        public void accept(String raw) {
            String v = raw.trim();
            seen++;
            integer &= INT.matcher(v).matches();
            decimal &= DEC.matcher(v).matches();
            String lower = v.toLowerCase(Locale.ROOT);
            boolean isBinary = BINARY.contains(v);
            bool &= BOOLEAN_WORDS.contains(lower) || isBinary;
            binaryOnly &= isBinary;
            isoDate &= ISO_DATE.matcher(v).matches();
            isoTimestamp &= ISO_TIMESTAMP.matcher(v).matches() || ISO_DATE.matcher(v).matches();
            var date = SLASH_DATE.matcher(v);
            var timestamp = SLASH_TIMESTAMP.matcher(v);
            boolean isSlashDate = date.matches();
            boolean isSlashTimestamp = timestamp.matches();
            slashDate &= isSlashDate;
            slashTimestamp &= isSlashDate || isSlashTimestamp;
            if (isSlashDate || isSlashTimestamp) {
                var m = isSlashDate ? date : timestamp;
                int first = Integer.parseInt(m.group(1));
                int second = Integer.parseInt(m.group(2));
                dayMonth &= validDay(first) && validMonth(second);
                monthDay &= validMonth(first) && validDay(second);
            } else {
                dayMonth = false;
                monthDay = false;
            }
        }

        public String type() {
            if (seen == 0) {
                return VARCHAR;
            }
            if (bool && (binaryOnly || !integer)) {
                return BOOLEAN;
            }
            if (integer) {
                return INTEGER;
            }
            if (decimal) {
                return DECIMAL;
            }
            if (isoDate) {
                return DATE;
            }
            if (isoTimestamp) {
                return TIMESTAMP;
            }
            if (dayMonth || monthDay) {
                return slashDate ? DATE : TIMESTAMP;
            }
            return VARCHAR;
        }

        /** For dates written with slashes: {@code DD/MM/YYYY} or {@code MM/DD/YYYY}, or null. */
        public String dateOrder() {
            if (!(dayMonth || monthDay) || seen == 0) {
                return null;
            }
            return dayMonth ? "DD/MM/YYYY" : "MM/DD/YYYY";
        }

        private static boolean validDay(int d) {
            return d >= 1 && d <= 31;
        }

        private static boolean validMonth(int m) {
            return m >= 1 && m <= 12;
        }
    }

    private TypeInference() {
    }
}
