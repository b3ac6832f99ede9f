package io.rimedata.platform.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A schedule of one or more cron expressions joined by {@code " | "}, evaluated in an IANA time zone. Across DST
 * changes it follows wall-clock time: a time skipped by a spring-forward fires right after the gap (shifted by its
 * length), a time repeated by a fall-back fires once (at its first occurrence).
 */
public final class CronSchedule {

    /** How far ahead to look for fire times (an expression such as "0 0 31 2 *" never fires). */
    private static final int HORIZON_DAYS = 366 * 5;

    private final List<CronExpression> expressions;
    private final ZoneId zone;

    private CronSchedule(List<CronExpression> expressions, ZoneId zone) {
        this.expressions = expressions;
        this.zone = zone;
    }

    public static CronSchedule parse(String cron, ZoneId zone) {
        List<CronExpression> expressions = new ArrayList<>();
        for (String part : cron.split("\\s\\|\\s")) {
            expressions.add(CronExpression.parse(part));
        }
        return new CronSchedule(expressions, zone);
    }

    /** The next {@code count} fire times strictly after {@code after}, in order. */
    public List<Instant> next(Instant after, int count) {
        List<Instant> result = new ArrayList<>(count);
        LocalDate day = after.atZone(zone).toLocalDate();
        for (int i = 0; i < HORIZON_DAYS && result.size() < count; i++, day = day.plusDays(1)) {
            TreeSet<Instant> fires = new TreeSet<>();
            for (CronExpression expression : expressions) {
                if (!expression.matches(day)) {
                    continue;
                }
                for (int h = expression.hours.nextSetBit(0); h >= 0; h = expression.hours.nextSetBit(h + 1)) {
                    for (int m = expression.minutes.nextSetBit(0); m >= 0; m = expression.minutes.nextSetBit(m + 1)) {
                        Instant fire = ZonedDateTime.ofLocal(LocalDateTime.of(day, java.time.LocalTime.of(h, m)), zone, null)
                                .toInstant();
                        if (fire.isAfter(after)) {
                            fires.add(fire);
                        }
                    }
                }
            }
            for (Instant fire : fires) {
                if (result.size() < count && (result.isEmpty() || fire.isAfter(result.getLast()))) {
                    result.add(fire);
                }
            }
        }
        return result;
    }

    /** The latest fire time in {@code (after, until]}, or null: what a scheduler that was down catches up, once. */
    public Instant latestBetween(Instant after, Instant until) {
        Instant latest = null;
        for (Instant fire : next(after, 10_000)) {
            if (fire.isAfter(until)) {
                break;
            }
            latest = fire;
        }
        return latest;
    }
}
