package io.rimedata.platform.schedule;

import io.rimedata.platform.validation.Cron;
import io.rimedata.platform.validation.IanaTimeZone;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A schedule of §7.3, shared by connectors and pipelines. */
@Schema(name = "Schedule")
public record ScheduleSpec(
        @Schema(description = "Five-field cron (Sunday = 0 or 7); several expressions joined with ` | `.")
        @NotBlank @Size(max = 500) @Cron String cron,
        @Schema(description = "IANA zone; default the project's, else Pacific/Auckland.") @IanaTimeZone String timezone,
        @Schema(description = "What a fire does while a run is active; default skip.", enumeration = { "skip", "queue", "allow" })
        @Pattern(regexp = "skip|queue|allow", message = "Must be skip, queue or allow.") String concurrencyPolicy,
        @Valid Window window,
        @Schema(description = "Default true.") Boolean enabled) {

    /** Fallback zone when neither the schedule nor its project names one. */
    public static final String DEFAULT_ZONE = "Pacific/Auckland";

    @Schema(name = "ScheduleWindow", description = "Fires outside [start, end] (local time) are not taken; may run overnight.")
    public record Window(
            @NotNull @Pattern(regexp = "([01]\\d|2[0-3]):[0-5]\\d", message = "Must be HH:mm.") String start,
            @NotNull @Pattern(regexp = "([01]\\d|2[0-3]):[0-5]\\d", message = "Must be HH:mm.") String end) {
    }

    public ScheduleSpec withDefaults() {
        return new ScheduleSpec(cron, timezone, concurrencyPolicy == null ? "skip" : concurrencyPolicy, window,
                enabled == null ? Boolean.TRUE : enabled);
    }

    public boolean isEnabled() {
        return !Boolean.FALSE.equals(enabled);
    }

    /** The zone fires are computed in: the schedule's, else the given project default, else Auckland's. */
    public ZoneId zone(String projectDefault) {
        return ZoneId.of(timezone != null ? timezone : projectDefault != null ? projectDefault : DEFAULT_ZONE);
    }

    /**
     * The fire a scheduler should start at {@code now}: the latest one after {@code since} (the last fire claimed, or
     * the schedule's creation), so fires missed while nothing ran are caught up once; null when none is due or it
     * falls outside the window.
     */
    public Instant dueFire(ZoneId zone, Instant since, Instant now) {
        Instant fire = CronSchedule.parse(cron, zone).latestBetween(since, now);
        return fire != null && inWindow(fire, zone) ? fire : null;
    }

    /** A window may run overnight ({@code 22:00}–{@code 04:00}). */
    public boolean inWindow(Instant fire, ZoneId zone) {
        if (window == null) {
            return true;
        }
        LocalTime at = fire.atZone(zone).toLocalTime();
        LocalTime start = LocalTime.parse(window.start());
        LocalTime end = LocalTime.parse(window.end());
        return start.isBefore(end) ? !at.isBefore(start) && !at.isAfter(end) : !at.isBefore(start) || !at.isAfter(end);
    }
}
