package dev.ferry.core.model;

/**
 * What a monitor watches (docs/api.md, "Monitors and alerts"). Per-execution triggers alert once per execution; state
 * triggers ({@link #state()}) alert once per episode and record when it clears.
 */
public enum MonitorTriggerType {
    EXECUTION_STARTED,
    EXECUTION_COMPLETED,
    EXECUTION_FAILED,
    EXECUTION_FAILED_RETRY_PENDING,
    EXECUTION_DURATION_EXCEEDED,
    EXECUTION_OVERDUE,
    EXECUTION_STUCK,
    FAILURE_RATE,
    LOG_LEVEL_MATCHED,
    INSTANCE_DISABLED,
    INSTANCE_ENABLED,
    INSTANCE_REMOVED;

    /** Alerts once per episode (condition true → false) instead of once per execution. */
    public boolean state() {
        return this == EXECUTION_OVERDUE || this == FAILURE_RATE || this == INSTANCE_DISABLED;
    }

    /**
     * Evaluated (also) by the every-minute sweep: time-based conditions, running executions past a
     * duration, and instance states the sweep observes.
     */
    public boolean swept() {
        return this == EXECUTION_DURATION_EXCEEDED || this == EXECUTION_OVERDUE || this == FAILURE_RATE
                || this == INSTANCE_DISABLED || this == INSTANCE_ENABLED;
    }
}
