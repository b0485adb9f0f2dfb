package dev.ferry.core.definition;

/**
 * {@code webhook} (optionally with a {@link WebhookSecurity} check), or {@code schedule} with an
 * EventBridge Scheduler expression and an IANA time zone.
 */
public record TriggerDef(String type, String schedule, String timezone, WebhookSecurity security) {
    public static final String WEBHOOK = "webhook";
    public static final String SCHEDULE = "schedule";

    public TriggerDef {
        if (WEBHOOK.equals(type) && security == null) security = WebhookSecurity.NONE;
    }

    public TriggerDef(String type, String schedule, String timezone) {
        this(type, schedule, timezone, null);
    }

    public boolean scheduled() {
        return SCHEDULE.equals(type);
    }
}
