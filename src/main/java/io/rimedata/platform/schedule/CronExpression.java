package io.rimedata.platform.schedule;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.BitSet;

/**
 * One 5-field cron expression (§7.3): minute, hour, day of month, month, day of week (Sunday = 0, 7 also accepted),
 * each {@code *}, a number, a range {@code a-b}, a list {@code a,b} and steps {@code /n}. As in classic cron, when both
 * day fields are restricted a day matches either of them.
 */
public final class CronExpression {

    final BitSet minutes;
    final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private CronExpression(BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months, BitSet daysOfWeek,
            boolean anyDayOfMonth, boolean anyDayOfWeek) {
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
        this.anyDayOfMonth = anyDayOfMonth;
        this.anyDayOfWeek = anyDayOfWeek;
    }

    /** Parses one expression; {@link IllegalArgumentException} carries a message fit for a 400 detail. */
    public static CronExpression parse(String expression) {
        String[] fields = expression.trim().split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("'" + expression + "' must have 5 fields: minute hour day-of-month month day-of-week.");
        }
        BitSet dow = field(fields[4], 0, 7, "day of week");
        if (dow.get(7)) {
            dow.set(0);
            dow.clear(7);
        }
        return new CronExpression(field(fields[0], 0, 59, "minute"), field(fields[1], 0, 23, "hour"),
                field(fields[2], 1, 31, "day of month"), field(fields[3], 1, 12, "month"), dow,
                fields[2].equals("*"), fields[4].equals("*"));
    }

    public boolean matches(LocalDate date) {
        if (!months.get(date.getMonthValue())) {
            return false;
        }
        boolean dom = daysOfMonth.get(date.getDayOfMonth());
        boolean dow = daysOfWeek.get(date.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : date.getDayOfWeek().getValue());
        if (anyDayOfMonth || anyDayOfWeek) {
            return dom && dow;
        }
        return dom || dow;
    }

    private static BitSet field(String text, int min, int max, String name) {
        BitSet values = new BitSet(max + 1);
        for (String part : text.split(",", -1)) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = number(part.substring(slash + 1), 1, max, name);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = name.equals("day of week") ? 6 : max;
            } else if (range.contains("-")) {
                String[] bounds = range.split("-", 2);
                from = number(bounds[0], min, max, name);
                to = number(bounds[1], min, max, name);
                if (from > to) {
                    throw new IllegalArgumentException("The " + name + " range " + range + " runs backwards.");
                }
            } else {
                from = number(range, min, max, name);
                to = slash >= 0 ? (name.equals("day of week") ? 6 : max) : from;
            }
            for (int v = from; v <= to; v += step) {
                values.set(v);
            }
        }
        return values;
    }

    private static int number(String text, int min, int max, String name) {
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a valid " + name + " (" + min + "-" + max + ").");
    }
}
