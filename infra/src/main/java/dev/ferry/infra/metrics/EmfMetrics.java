package dev.ferry.infra.metrics;

import dev.ferry.core.json.Json;
import dev.ferry.core.model.DeadLetterQueue;
import dev.ferry.core.model.Execution;
import dev.ferry.core.port.Metrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Metrics as CloudWatch embedded metric format (EMF) lines: one JSON object per line, written to
 * {@code out} (the function's stdout in Lambda), from which CloudWatch Logs makes the metrics in
 * {@code namespace}. Each event is one line of 250 to 350 bytes, written at once (nothing is
 * buffered, so nothing is lost when an invocation ends or fails).
 *
 * <table>
 *   <tr><th>metric</th><th>unit</th><th>dimension sets</th><th>when</th></tr>
 *   <tr><td>Executions, Duration</td><td>Count, Milliseconds</td><td>[Status], [Status, Trigger] (+ [InstanceId, Status] when asked)</td><td>an execution ended</td></tr>
 *   <tr><td>RetriesScheduled</td><td>Count</td><td>the same</td><td>… and its retry was scheduled</td></tr>
 *   <tr><td>Replays</td><td>Count</td><td>[Kind] (single, bulk)</td><td>replays were created</td></tr>
 *   <tr><td>AlertsSent, AlertsFailed</td><td>Count</td><td>[ChannelType]</td><td>a delivery ended</td></tr>
 *   <tr><td>DeadLetters</td><td>Count</td><td>[Queue]</td><td>a message failed its last receive</td></tr>
 * </table>
 *
 * The instance id is on every execution line as a property (searchable with CloudWatch Logs
 * Insights) and a dimension only with {@code instanceDimension}: each instance then adds its own
 * metrics, billed each month.
 */
public final class EmfMetrics implements Metrics {
    private final String namespace;
    private final boolean instanceDimension;
    private final Clock clock;
    private final Consumer<String> out;

    /** {@code out} takes one whole line at a time (e.g. {@code System.out::println}, which is synchronized). */
    public EmfMetrics(String namespace, boolean instanceDimension, Clock clock, Consumer<String> out) {
        this.namespace = namespace;
        this.instanceDimension = instanceDimension;
        this.clock = clock;
        this.out = out;
    }

    @Override
    public void executionEnded(Execution e) {
        List<List<String>> dimensions = new ArrayList<>(List.of(List.of("Status"), List.of("Status", "Trigger")));
        if (instanceDimension) dimensions.add(List.of("InstanceId", "Status"));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("Status", String.valueOf(e.status()));
        values.put("Trigger", String.valueOf(e.trigger()));
        values.put("InstanceId", e.instanceId());
        values.put("Executions", 1);
        List<String[]> metrics = new ArrayList<>();
        metrics.add(new String[] {"Executions", "Count"});
        if (e.durationMs() != null) {
            values.put("Duration", e.durationMs());
            metrics.add(new String[] {"Duration", "Milliseconds"});
        }
        if (e.nextRetryAt() != null) {
            values.put("RetriesScheduled", 1);
            metrics.add(new String[] {"RetriesScheduled", "Count"});
        }
        write(dimensions, metrics, values);
    }

    @Override
    public void replaysCreated(int count, boolean bulk) {
        write(List.of(List.of("Kind")), List.<String[]>of(new String[] {"Replays", "Count"}),
                ordered("Kind", bulk ? "bulk" : "single", "Replays", count));
    }

    @Override
    public void alertDelivery(String channelType, boolean delivered) {
        String name = delivered ? "AlertsSent" : "AlertsFailed";
        write(List.of(List.of("ChannelType")), List.<String[]>of(new String[] {name, "Count"}),
                ordered("ChannelType", channelType, name, 1));
    }

    @Override
    public void deadLettered(DeadLetterQueue queue) {
        write(List.of(List.of("Queue")), List.<String[]>of(new String[] {"DeadLetters", "Count"}),
                ordered("Queue", queue.wireName(), "DeadLetters", 1));
    }

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    /** One EMF document: the metadata, then the dimensions' values and the metrics' values at the root. */
    private void write(List<List<String>> dimensions, List<String[]> metrics, Map<String, Object> values) {
        try {
            List<Map<String, String>> definitions = new ArrayList<>();
            for (String[] m : metrics) {
                Map<String, String> d = new LinkedHashMap<>();
                d.put("Name", m[0]);
                d.put("Unit", m[1]);
                definitions.add(d);
            }
            Map<String, Object> directive = new LinkedHashMap<>();
            directive.put("Namespace", namespace);
            directive.put("Dimensions", dimensions);
            directive.put("Metrics", definitions);
            Map<String, Object> aws = new LinkedHashMap<>();
            aws.put("Timestamp", clock.millis());
            aws.put("CloudWatchMetrics", List.of(directive));
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("_aws", aws);
            line.putAll(values);
            out.accept(Json.write(line));
        } catch (RuntimeException e) {
            // A metric is never worth failing the work it counts.
        }
    }
}
