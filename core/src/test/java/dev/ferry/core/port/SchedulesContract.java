package dev.ferry.core.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.core.model.ScheduleSpec;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link Schedules} does: each call leaves the named schedule in exactly the given state. */
public abstract class SchedulesContract {
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    /** A start date safely in the future (EventBridge Scheduler refuses one more than 5 minutes past). */
    private final Instant start = Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);

    protected abstract Schedules schedules();

    private String name(int n) {
        return "flc_" + run + "_" + n;
    }

    @Test
    void createdScheduleReadsBack() {
        ScheduleSpec cron = new ScheduleSpec(name(1), "cron(0 9 ? * MON-FRI *)", "Europe/Berlin", true, null);
        ScheduleSpec rate = new ScheduleSpec(name(2), "rate(5 minutes)", "UTC", true, start);

        schedules().create(cron);
        schedules().create(rate);

        assertThat(schedules().get(name(1))).contains(cron);
        assertThat(schedules().get(name(2))).contains(rate);
    }

    @Test
    void unknownScheduleIsEmpty() {
        assertThat(schedules().get(name(9))).isEmpty();
    }

    @Test
    void updateReplacesEveryField() {
        schedules().create(new ScheduleSpec(name(1), "cron(0 9 * * ? *)", "Europe/Berlin", true, null));
        ScheduleSpec changed = new ScheduleSpec(name(1), "rate(1 hour)", "America/New_York", false, start);

        schedules().update(changed);

        assertThat(schedules().get(name(1))).contains(changed);
    }

    @Test
    void disablingAndEnablingFlipsOnlyTheState() {
        ScheduleSpec spec = new ScheduleSpec(name(1), "cron(30 2 * * ? *)", "Europe/Berlin", true, null);
        schedules().create(spec);

        schedules().update(spec.withEnabled(false));
        assertThat(schedules().get(name(1))).contains(spec.withEnabled(false));

        schedules().update(spec);
        assertThat(schedules().get(name(1))).contains(spec);
    }

    @Test
    void updatingAMissingScheduleCreatesIt() {
        ScheduleSpec spec = new ScheduleSpec(name(1), "at(2030-01-01T09:00:00)", "Asia/Tokyo", true, null);

        schedules().update(spec);

        assertThat(schedules().get(name(1))).contains(spec);
    }

    @Test
    void creatingAnExistingScheduleReplacesIt() {
        schedules().create(new ScheduleSpec(name(1), "rate(1 day)", "UTC", true, start));
        ScheduleSpec again = new ScheduleSpec(name(1), "rate(2 days)", "UTC", false, start);

        schedules().create(again);

        assertThat(schedules().get(name(1))).contains(again);
    }

    @Test
    void deleteRemovesAndDeletingAMissingOneIsFine() {
        schedules().create(new ScheduleSpec(name(1), "rate(1 day)", "UTC", true, start));

        schedules().delete(name(1));
        schedules().delete(name(1));

        assertThat(schedules().get(name(1))).isEmpty();
    }
}
