package dev.ferry.core.port;

import dev.ferry.core.model.ScheduleSpec;
import java.util.Optional;

/**
 * One timer per scheduled flow config (EventBridge Scheduler in AWS), named by the flow config's
 * id, that fires the scheduled trigger with {@code {"flowConfigId", "scheduledTime"}}. Every call
 * leaves the schedule in exactly the given state; {@link #create} and {@link #update} differ only
 * in which they expect (and so try first).
 */
public interface Schedules {
    /** Creates the schedule; if it exists already, replaces it. */
    void create(ScheduleSpec spec);

    /** Replaces the schedule with this state (every field); if it does not exist, creates it. */
    void update(ScheduleSpec spec);

    /** Deletes the schedule; nothing happens when there is none. */
    void delete(String flowConfigId);

    /** The schedule as stored, or empty. */
    Optional<ScheduleSpec> get(String flowConfigId);
}
