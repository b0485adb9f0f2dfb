package dev.ferry.core.port;

import dev.ferry.core.model.Alert;
import dev.ferry.core.model.AlertDelivery;
import dev.ferry.core.model.AlertQuery;
import dev.ferry.core.model.Page;
import java.time.Instant;
import java.util.Optional;

/**
 * Alerts with their delivery attempts. An alert is unique by (monitorId, key): creating it again
 * is refused, which is what makes "one alert per execution per monitor" hold under redelivery.
 * Alerts past {@code expiresAt} are never returned.
 */
public interface AlertStore {
    /** Stores the alert unless one with the same (monitorId, key) exists; true when stored. */
    boolean create(Alert alert);

    Optional<Alert> get(String monitorId, String key);

    /**
     * Takes attempt {@code attempt} of the delivery to channel {@code channel} for the caller: true
     * for the first caller, false for every later one (and for an attempt not above the last one
     * taken, or an alert that is gone). A conditional write, so copies of one retry message running
     * at once send it once.
     */
    boolean claimAttempt(String monitorId, String key, int channel, int attempt);

    /** Appends a delivery attempt to the alert. */
    void addDelivery(String monitorId, String key, AlertDelivery delivery);

    /** The alert with this id (its {@code id}, not its key), unless it expired. */
    Optional<Alert> byId(String alertId);

    /**
     * Records that {@code by} acknowledged the alert at {@code at}, unless it was acknowledged
     * already (then the first acknowledgement stays). Returns the alert as stored afterwards; empty
     * if it is gone.
     */
    Optional<Alert> acknowledge(String monitorId, String key, String by, Instant at);

    /** Records when the alert's condition cleared (state triggers). */
    void cleared(String monitorId, String key, Instant at);

    /** Newest first. */
    Page<Alert> list(AlertQuery query);

    /**
     * Deletes the alerts about this instance (whatever their monitor) except those whose trigger is
     * in {@code keep}; returns how many it deleted. For the instance's deletion.
     */
    int deleteForInstance(String instanceId, java.util.Set<dev.ferry.core.model.MonitorTriggerType> keep);
}
