package dev.ferry.core.port;

import dev.ferry.core.model.Monitor;
import dev.ferry.core.model.MonitorEpisode;
import dev.ferry.core.model.Page;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Alert monitors, kept by scope so that evaluating one event reads only the monitors that can
 * apply to it, and their state: open episodes of state triggers and per-minute outcome counts
 * for failure rates.
 */
public interface MonitorStore {
    /** Stores a new monitor; {@link dev.ferry.core.error.ConflictException} if the id exists. */
    void create(Monitor monitor);

    Optional<Monitor> get(String id);

    /** Oldest first. */
    Page<Monitor> list(int limit, String cursor);

    /**
     * Replaces the monitor with this id (its scope, triggers, channels, mute may all change), in one
     * atomic write with the copies kept by scope and for the sweep; NotFound if there is none. Its
     * episodes and counts stay.
     */
    void update(Monitor monitor);

    /** Deletes the monitor with its episodes and counts (its alerts stay); NotFound if there is none. */
    void delete(String id);

    /**
     * The monitors whose scope is this instance (whatever flow config they name), this customer,
     * or everything — and no others.
     */
    List<Monitor> inScope(String instanceId, String customerId);

    /**
     * {@link #inScope}, from a read that may miss a change made within about the last second
     * (eventually consistent, at half the cost): for a run's decision whether to send its monitor
     * event at all, which every execution makes. A monitor created a moment before a run ends may
     * not see that run; its evaluation of an event reads consistently.
     */
    default List<Monitor> inScopeEventually(String instanceId, String customerId) {
        return inScope(instanceId, customerId);
    }

    /** The monitors that have a trigger the sweep evaluates ({@link Monitor#swept()}). */
    List<Monitor> swept();

    /** Deletes every monitor scoped to this instance (when the instance is deleted); returns their ids. */
    List<String> deleteForInstance(String instanceId);

    /**
     * Opens an episode of the monitor's condition for {@code subject} unless one is open. Returns
     * the open episode: the new one ({@code alerted} false) or the one already open.
     */
    MonitorEpisode openEpisode(String monitorId, String subject, Instant openedAt);

    /** The monitor's open episodes. */
    List<MonitorEpisode> episodes(String monitorId);

    /** Records that the episode's alert was raised. */
    void episodeAlerted(String monitorId, String subject);

    /** Closes the open episode of {@code subject}; returns it, or empty if none was open (so one closer wins). */
    Optional<MonitorEpisode> closeEpisode(String monitorId, String subject);

    /** Counts one execution outcome in the minute bucket {@code minute} (kept until {@code expiresAt}). */
    void countOutcome(String monitorId, Instant minute, boolean failed, Instant expiresAt);

    /** Outcomes counted in the minute buckets from {@code from} (inclusive) to {@code to} (inclusive). */
    Outcomes outcomes(String monitorId, Instant from, Instant to);

    record Outcomes(long total, long failed) {
        public double failedPercent() {
            return total == 0 ? 0 : failed * 100.0 / total;
        }
    }
}
