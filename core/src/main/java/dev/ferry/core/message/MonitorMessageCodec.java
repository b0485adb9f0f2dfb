package dev.ferry.core.message;

import dev.ferry.core.json.Json;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.LogLine;
import java.time.Instant;
import java.util.List;

/**
 * The monitor queue's wire format (see {@link MonitorMessage}): Jackson writes and reads {@link Wire},
 * whose components, in order, are the body's fields — every field is written, null or not, as the
 * earlier single record wrote them.
 */
final class MonitorMessageCodec implements MessageCodec<MonitorMessage> {
    static final String ALERT_DELIVERY = "ALERT_DELIVERY";

    /** The body's shape. */
    record Wire(String type, Instant at, Execution execution, List<LogLine> logs, MonitorEvent.InstanceRef instance,
                Retry retry, boolean includesStart) {}

    /** A delivery retry's {@code retry} field. */
    record Retry(String monitorId, String alertKey, int channel, int attempt) {}

    @Override
    public String write(MonitorMessage message) {
        return Json.write(switch (message) {
            case MonitorEvent e -> new Wire(e.type().name(), e.at(), e.execution(), e.logs(), e.instance(), null,
                    e.includesStart());
            case AlertDeliveryRetry r -> new Wire(ALERT_DELIVERY, r.at(), null, List.of(), null,
                    new Retry(r.monitorId(), r.alertKey(), r.channel(), r.attempt()), false);
        });
    }

    @Override
    public MonitorMessage read(String body) {
        Wire w;
        try {
            w = Json.read(body, Wire.class);
        } catch (RuntimeException e) {
            throw new MalformedMessageException("not a monitor message: " + e.getMessage(), e);
        }
        if (w == null || w.type() == null) throw new MalformedMessageException("not a monitor message: no type");
        if (w.type().equals(ALERT_DELIVERY)) {
            Retry r = w.retry();
            if (r == null || r.monitorId() == null || r.alertKey() == null) {
                throw new MalformedMessageException("an ALERT_DELIVERY message needs its retry {monitorId, alertKey, channel, attempt}");
            }
            return new AlertDeliveryRetry(r.monitorId(), r.alertKey(), r.channel(), r.attempt(), w.at());
        }
        MonitorEvent.Type type;
        try {
            type = MonitorEvent.Type.valueOf(w.type());
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("not a monitor message: unknown type " + w.type());
        }
        MonitorEvent event = new MonitorEvent(type, w.at(), w.execution(), w.logs(), w.instance(), w.includesStart());
        if (event.aboutExecution() ? w.execution() == null : w.instance() == null) {
            throw new MalformedMessageException("a " + type + " event needs its " + (event.aboutExecution() ? "execution" : "instance"));
        }
        return event;
    }
}
