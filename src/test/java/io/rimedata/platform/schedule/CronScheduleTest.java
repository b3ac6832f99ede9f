package io.rimedata.platform.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    private static final ZoneId AUCKLAND = ZoneId.of("Pacific/Auckland");

    private static List<Instant> next(String cron, ZoneId zone, String after, int count) {
        return CronSchedule.parse(cron, zone).next(Instant.parse(after), count);
    }

    @Test
    void weekdaysAtNine() {
        assertEquals(List.of(Instant.parse("2026-11-27T09:00:00Z"), Instant.parse("2026-11-30T09:00:00Z")),
                next("0 9 * * 1-5", ZoneOffset.UTC, "2026-11-27T08:00:00Z", 2)); // a Friday, then Monday
    }

    @Test
    void sundayIsZeroAndSeven() {
        List<Instant> zero = next("0 12 * * 0", ZoneOffset.UTC, "2026-11-28T00:00:00Z", 2);
        assertEquals(List.of(Instant.parse("2026-11-29T12:00:00Z"), Instant.parse("2026-12-06T12:00:00Z")), zero);
        assertEquals(zero, next("0 12 * * 7", ZoneOffset.UTC, "2026-11-28T00:00:00Z", 2));
    }

    @Test
    void severalExpressionsMergeInOrder() {
        assertEquals(List.of(Instant.parse("2026-11-30T02:00:00Z"), Instant.parse("2026-11-30T14:30:00Z"),
                Instant.parse("2026-12-01T02:00:00Z")),
                next("0 2 * * * | 30 14 * * 1-5", ZoneOffset.UTC, "2026-11-30T00:00:00Z", 3));
    }

    @Test
    void restrictedDayFieldsMatchEither() {
        // the 13th of any month, or any Friday
        assertEquals(List.of(Instant.parse("2026-11-13T00:00:00Z"), Instant.parse("2026-11-20T00:00:00Z"),
                Instant.parse("2026-11-27T00:00:00Z"), Instant.parse("2026-12-04T00:00:00Z")),
                next("0 0 13 * 5", ZoneOffset.UTC, "2026-11-12T00:00:00Z", 4));
    }

    @Test
    void stepsListsAndRanges() {
        assertEquals(List.of(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:15:00Z"),
                Instant.parse("2026-01-01T00:30:00Z"), Instant.parse("2026-01-01T00:45:00Z"), Instant.parse("2026-01-01T06:00:00Z")),
                next("*/15 0 * * * | 0 6-7,9 * * *", ZoneOffset.UTC, "2025-12-31T23:59:00Z", 5));
    }

    @Test
    void aucklandAprilFallBackFiresTheRepeatedTimeOnce() {
        // 5 April 2026, 03:00 NZDT becomes 02:00 NZST: 02:30 happens twice, and fires once
        assertEquals(List.of(Instant.parse("2026-04-03T13:30:00Z"), Instant.parse("2026-04-04T13:30:00Z"),
                Instant.parse("2026-04-05T14:30:00Z")),
                next("30 2 * * *", AUCKLAND, "2026-04-03T00:00:00Z", 3));
    }

    @Test
    void aucklandSeptemberSpringForwardFiresRightAfterTheGap() {
        // 27 September 2026, 02:00 NZST becomes 03:00 NZDT: 02:30 does not exist and fires at 03:30 NZDT
        assertEquals(List.of(Instant.parse("2026-09-25T14:30:00Z"), Instant.parse("2026-09-26T14:30:00Z"),
                Instant.parse("2026-09-27T13:30:00Z")),
                next("30 2 * * *", AUCKLAND, "2026-09-25T00:00:00Z", 3));
        // a daily 09:00 keeps its wall-clock time across the change (offset +12 before, +13 after)
        assertEquals(List.of(Instant.parse("2026-09-25T21:00:00Z"), Instant.parse("2026-09-26T20:00:00Z")),
                next("0 9 * * *", AUCKLAND, "2026-09-25T12:00:00Z", 2));
    }

    @Test
    void catchUpTakesOnlyTheLatestMissedFire() {
        CronSchedule hourly = CronSchedule.parse("0 * * * *", ZoneOffset.UTC);
        assertEquals(Instant.parse("2026-11-28T15:00:00Z"),
                hourly.latestBetween(Instant.parse("2026-11-28T09:30:00Z"), Instant.parse("2026-11-28T15:20:00Z")));
        assertEquals(null, hourly.latestBetween(Instant.parse("2026-11-28T15:00:00Z"), Instant.parse("2026-11-28T15:59:00Z")));
    }

    @Test
    void invalidExpressionsSayWhy() {
        assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("* * * *"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("61 * * * *"));
        assertTrue(e.getMessage().contains("minute"));
        assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("0 5-2 * * *"));
        assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("0 0 * 13 *"));
        assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("0 0 * * MON"));
    }

    @Provide
    Arbitrary<String> expressions() {
        Arbitrary<String> minute = Arbitraries.of("*", "0", "*/5", "10-20", "7,37");
        Arbitrary<String> hour = Arbitraries.of("*", "3", "*/6", "8-17", "1,13");
        Arbitrary<String> dom = Arbitraries.of("*", "1", "15", "*/10", "28-31");
        Arbitrary<String> month = Arbitraries.of("*", "1", "2", "6-8", "*/3");
        Arbitrary<String> dow = Arbitraries.of("*", "0", "1-5", "6", "2,4");
        return Combinators.combine(minute, hour, dom, month, dow).as((a, b, c, d, e) -> a + " " + b + " " + c + " " + d + " " + e);
    }

    /** Against a reference that tries every minute: same fire times, in order, none missed. */
    @Property(tries = 200)
    void agreesWithMinuteByMinuteSearch(@ForAll("expressions") String cron, @ForAll @IntRange(min = 0, max = 400) int dayOffset) {
        Instant after = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(dayOffset * 86_400L + 37);
        CronExpression expression = CronExpression.parse(cron);
        List<Instant> expected = new ArrayList<>();
        LocalDateTime t = LocalDateTime.ofInstant(after, ZoneOffset.UTC).withSecond(0).withNano(0).plusMinutes(1);
        for (int i = 0; i < 60 * 24 * 400 && expected.size() < 3; i++, t = t.plusMinutes(1)) {
            if (expression.matches(t.toLocalDate()) && expression.hours.get(t.getHour()) && expression.minutes.get(t.getMinute())) {
                expected.add(t.toInstant(ZoneOffset.UTC));
            }
        }
        assertEquals(expected, CronSchedule.parse(cron, ZoneOffset.UTC).next(after, expected.size()));
    }
}
