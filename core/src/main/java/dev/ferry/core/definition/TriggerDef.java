package dev.ferry.core.definition;

/** {@code webhook}, or {@code schedule} with an EventBridge Scheduler expression and an IANA time zone. */
public record TriggerDef(String type, String schedule, String timezone) {
    public static final String WEBHOOK = "webhook";
    public static final String SCHEDULE = "schedule";

    public boolean scheduled() {
        return SCHEDULE.equals(type);
    }
}
