package dev.ferry.core.model;

/**
 * One trigger of a monitor with its parameters; only those of its type are set:
 * {@code durationSeconds} (EXECUTION_DURATION_EXCEEDED), {@code overdueMinutes} (EXECUTION_OVERDUE),
 * {@code percent}, {@code windowMinutes} and optionally {@code minExecutions} (FAILURE_RATE),
 * {@code logSeverity} WARN or ERROR (LOG_LEVEL_MATCHED).
 */
public record MonitorTrigger(
        MonitorTriggerType type,
        Integer durationSeconds,
        Integer overdueMinutes,
        Double percent,
        Integer windowMinutes,
        Integer minExecutions,
        Severity logSeverity) {

    public static MonitorTrigger of(MonitorTriggerType type) {
        return new MonitorTrigger(type, null, null, null, null, null, null);
    }

    public static MonitorTrigger durationExceeded(int seconds) {
        return new MonitorTrigger(MonitorTriggerType.EXECUTION_DURATION_EXCEEDED, seconds, null, null, null, null, null);
    }

    public static MonitorTrigger overdue(int minutes) {
        return new MonitorTrigger(MonitorTriggerType.EXECUTION_OVERDUE, null, minutes, null, null, null, null);
    }

    public static MonitorTrigger failureRate(double percent, int windowMinutes, Integer minExecutions) {
        return new MonitorTrigger(MonitorTriggerType.FAILURE_RATE, null, null, percent, windowMinutes, minExecutions, null);
    }

    public static MonitorTrigger logLevel(Severity severity) {
        return new MonitorTrigger(MonitorTriggerType.LOG_LEVEL_MATCHED, null, null, null, null, null, severity);
    }

    /** FAILURE_RATE: executions needed in the window before a rate counts (default 1). */
    public int minimumExecutions() {
        return minExecutions == null ? 1 : minExecutions;
    }
}
