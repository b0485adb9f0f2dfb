package dev.ferry.core.api;

import dev.ferry.core.definition.ConfigVariableDef;
import dev.ferry.core.definition.DefinitionParser;
import dev.ferry.core.definition.FlowDef;
import dev.ferry.core.definition.IntegrationDefinition;
import dev.ferry.core.definition.RetryPolicy;
import dev.ferry.core.definition.ScheduleExpression;
import dev.ferry.core.model.Customer;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.FlowConfig;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.Integration;
import dev.ferry.core.model.IntegrationVersion;
import dev.ferry.core.model.LogLine;
import dev.ferry.core.model.StepResult;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** How each resource looks in API answers (the schemas of openapi.yaml). Secret config values never leave here. */
public final class Views {
    public static final String REDACTED = "********";

    private Views() {}

    /** An API key without the key (only its creation answer adds {@code key}) and without its hash. */
    public static Map<String, Object> apiKey(dev.ferry.core.model.ApiKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("name", k.name());
        m.put("customerId", k.customerId());
        m.put("createdAt", k.createdAt());
        return m;
    }

    public static Map<String, Object> customer(Customer c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("name", c.name());
        m.put("externalId", c.externalId());
        m.put("createdAt", c.createdAt());
        return m;
    }

    public static Map<String, Object> integration(Integration i, IntegrationVersion version) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("name", i.name());
        m.put("latestVersion", i.latestVersion());
        m.put("createdAt", i.createdAt());
        m.put("updatedAt", i.updatedAt());
        if (version != null) {
            m.put("version", version.version());
            m.put("definition", DefinitionParser.toJson(version.definition()));
        }
        return m;
    }

    public static Map<String, Object> integrationVersion(IntegrationVersion v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("integrationId", v.integrationId());
        m.put("version", v.version());
        m.put("createdAt", v.createdAt());
        m.put("definition", DefinitionParser.toJson(v.definition()));
        return m;
    }

    public static Map<String, Object> instance(Instance i, List<FlowConfig> flowConfigs, IntegrationDefinition def,
                                               String baseUrl, Instant now) {
        Set<String> secretKeys = def.configVariables().stream().filter(ConfigVariableDef::secret)
                .map(ConfigVariableDef::key).collect(Collectors.toSet());
        Map<String, Object> config = new LinkedHashMap<>();
        i.configVariables().forEach((k, v) -> config.put(k, secretKeys.contains(k) ? REDACTED : v));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("name", i.name());
        m.put("customerId", i.customerId());
        m.put("integrationId", i.integrationId());
        m.put("integrationVersion", i.integrationVersion());
        m.put("enabled", i.enabled());
        m.put("pauseMode", i.pauseMode());
        m.put("pausedBy", i.pause() == null ? null : i.pause().by());
        m.put("pausedAt", i.pause() == null ? null : i.pause().at());
        m.put("pauseReason", i.pause() == null ? null : i.pause().reason());
        m.put("storeStepOutputs", i.storeStepOutputs());
        m.put("storeLogs", i.storeLogs());
        m.put("configVariables", config);
        m.put("flowConfigs", flowConfigs.stream().map(fc -> flowConfig(fc, def, i.enabled(), baseUrl, now)).toList());
        m.put("createdAt", i.createdAt());
        m.put("lastExecutedAt", i.lastExecutedAt());
        return m;
    }

    /** A flow config, its trigger, schedule and retry read from the instance's current definition. */
    public static Map<String, Object> flowConfig(FlowConfig fc, IntegrationDefinition def, boolean enabled,
                                                 String baseUrl, Instant now) {
        FlowDef flow = def.flow(fc.flow()).orElse(null);
        String type = flow != null && flow.trigger() != null ? flow.trigger().type() : fc.triggerType();
        String schedule = flow != null && flow.trigger() != null ? flow.trigger().schedule() : fc.schedule();
        String timezone = flow != null && flow.trigger() != null ? flow.trigger().timezone() : fc.timezone();
        RetryPolicy retry = flow != null ? flow.retry() : fc.retry();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", fc.id());
        m.put("instanceId", fc.instanceId());
        m.put("flow", fc.flow());
        m.put("webhookUrl", fc.webhookToken() == null ? null : trimSlash(baseUrl) + "/webhooks/" + fc.webhookToken());
        m.put("trigger", type);
        m.put("schedule", schedule);
        m.put("timezone", schedule == null ? null : timezone == null ? "UTC" : timezone);
        m.put("retry", retry);
        m.put("nextRunAt", enabled && schedule != null ? nextRun(schedule, timezone, now) : null);
        m.put("security", security(flow == null || flow.trigger() == null ? null : flow.trigger().security()));
        return m;
    }

    /**
     * A webhook flow's security check as {@code {type, header, secretVariable}} — the name of the
     * config variable holding the key or secret, never its value; null for a scheduled flow.
     */
    private static Map<String, Object> security(dev.ferry.core.definition.WebhookSecurity s) {
        if (s == null) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", s.type());
        if (!s.none()) {
            m.put("header", s.header());
            m.put("secretVariable", s.secretVariable());
            if (s.timed()) {
                m.put("timestampHeader", s.timestampHeader());
                m.put("toleranceSeconds", s.tolerance());
            }
        }
        return m;
    }

    private static Instant nextRun(String schedule, String timezone, Instant now) {
        try {
            ZoneId zone = ZoneId.of(timezone == null ? "UTC" : timezone);
            return ScheduleExpression.parse(schedule).nextAfter(now.atZone(zone)).map(z -> z.toInstant()).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    public static Map<String, Object> execution(Execution e, boolean detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("instanceId", e.instanceId());
        m.put("customerId", e.customerId());
        m.put("flowConfigId", e.flowConfigId());
        m.put("flow", e.flow());
        m.put("trigger", e.trigger());
        m.put("status", e.status());
        m.put("queuedAt", e.queuedAt());
        m.put("startedAt", e.startedAt());
        m.put("endedAt", e.endedAt());
        m.put("durationMs", e.durationMs());
        m.put("error", e.error());
        m.put("attempt", e.attempt());
        m.put("retryOf", e.retryOf());
        m.put("nextRetryAt", e.nextRetryAt());
        m.put("retriesRemaining", e.retriesRemaining());
        m.put("replayOf", e.replayOf());
        m.put("replays", e.replays());
        m.put("resolved", e.resolved());
        m.put("cancelledBy", e.cancelledBy());
        m.put("cancelledAt", e.cancelledAt());
        m.put("integrationVersion", e.integrationVersion());
        if (e.replayJobId() != null) m.put("replayJobId", e.replayJobId());
        m.put("outputsStored", !e.outputsDiscarded());
        m.put("logsStored", !e.logsDiscarded());
        m.put("logLinesDropped", e.logLinesDropped());
        if (detail) {
            m.put("request", e.request() == null ? null : request(e.request()));
            List<Map<String, Object>> steps = new ArrayList<>();
            for (StepResult s : e.steps()) steps.add(step(s));
            m.put("steps", steps);
        }
        return m;
    }

    /** A bulk replay job: {@code id, name, matched, dispatched, succeeded, failed, status} and the rest. */
    public static Map<String, Object> replayJob(dev.ferry.core.model.ReplayJob j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("kind", j.kind());
        m.put("name", j.name());
        m.put("createdBy", j.createdBy());
        m.put("status", j.status());
        m.put("dryRun", j.id() == null);
        m.put("matched", j.matched());
        m.put("dispatched", j.dispatched());
        m.put("skipped", j.skipped());
        m.put("succeeded", j.succeeded());
        m.put("failed", j.failed());
        m.put("ratePerSecond", j.ratePerSecond());
        var f = j.filter();
        Map<String, Object> filter = new LinkedHashMap<>();
        if (f.instanceId() != null) filter.put("instanceId", f.instanceId());
        if (f.customerId() != null) filter.put("customerId", f.customerId());
        if (f.flowConfigId() != null) filter.put("flowConfigId", f.flowConfigId());
        if (f.status() != null) filter.put("status", f.status());
        if (f.trigger() != null) filter.put("trigger", f.trigger());
        if (f.since() != null) filter.put("since", f.since());
        if (f.until() != null) filter.put("until", f.until());
        if (f.originalsOnly()) filter.put("originalsOnly", true);
        if (f.unresolved()) filter.put("unresolved", true);
        m.put("filter", filter);
        m.put("createdAt", j.createdAt());
        m.put("updatedAt", j.updatedAt());
        return m;
    }

    public static Map<String, Object> step(StepResult s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("type", s.type());
        m.put("status", s.status());
        m.put("startedAt", s.startedAt());
        m.put("endedAt", s.endedAt());
        m.put("durationMs", s.durationMs());
        m.put("output", s.output());
        m.put("error", s.error());
        return m;
    }

    /**
     * The request as received. {@code body} is the text when the bytes are UTF-8, else base64 with
     * {@code bodyEncoding: "base64"} — either way the exact bytes can be rebuilt.
     */
    public static Map<String, Object> request(ExecutionRequest r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", r.method());
        String text = utf8(r.body());
        m.put("body", text != null ? text : Base64.getEncoder().encodeToString(r.body()));
        m.put("bodyEncoding", text != null ? "utf8" : "base64");
        m.put("headers", r.headers());
        m.put("query", r.query());
        m.put("contentType", r.contentType());
        return m;
    }

    public static Map<String, Object> logLine(LogLine l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", l.timestamp());
        m.put("severity", l.severity());
        m.put("message", l.message());
        m.put("step", l.step());
        m.put("executionId", l.executionId());
        m.put("instanceId", l.instanceId());
        m.put("flowConfigId", l.flowConfigId());
        m.put("attempt", l.attempt());
        return m;
    }

    public static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    // ------------------------------------------------------------------ monitors and alerts

    /** Header values that may carry credentials are shown masked; the channel's secret never is. */
    private static final java.util.regex.Pattern SENSITIVE_HEADER =
            java.util.regex.Pattern.compile("(?i).*(auth|token|key|secret|signature|cookie|password|credential).*");

    /**
     * {@code destinations}: whether the caller sees where the alerts go; when not, each channel shows its
     * type and {@code hidden: true} only.
     */
    public static Map<String, Object> monitor(dev.ferry.core.model.Monitor mon, boolean destinations) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", mon.id());
        m.put("name", mon.name());
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("instanceId", mon.scope().instanceId());
        scope.put("flowConfigId", mon.scope().flowConfigId());
        scope.put("customerId", mon.scope().customerId());
        m.put("scope", scope);
        List<Map<String, Object>> triggers = new ArrayList<>();
        for (dev.ferry.core.model.MonitorTrigger t : mon.triggers()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("type", t.type());
            if (t.durationSeconds() != null) tm.put("durationSeconds", t.durationSeconds());
            if (t.overdueMinutes() != null) tm.put("overdueMinutes", t.overdueMinutes());
            if (t.percent() != null) tm.put("percent", t.percent());
            if (t.windowMinutes() != null) tm.put("windowMinutes", t.windowMinutes());
            if (t.minExecutions() != null) tm.put("minExecutions", t.minExecutions());
            if (t.logSeverity() != null) tm.put("logSeverity", t.logSeverity());
            triggers.add(tm);
        }
        m.put("triggers", triggers);
        List<Map<String, Object>> channels = new ArrayList<>();
        for (dev.ferry.core.model.AlertChannel c : mon.channels()) {
            channels.add(destinations ? channel(c) : hiddenChannel(c));
        }
        m.put("channels", channels);
        m.put("mutedUntil", mon.mutedUntil());
        m.put("createdAt", mon.createdAt());
        m.put("updatedAt", mon.updatedAt());
        return m;
    }

    /**
     * A channel as the API shows it, by type: a webhook's URL, headers (credential-like values masked),
     * template and whether it has each secret (masked); a Slack URL with its secret last segment masked;
     * an email's addresses.
     */
    static Map<String, Object> channel(dev.ferry.core.model.AlertChannel c) {
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("type", c.type());
        switch (c.type()) {
            case dev.ferry.core.model.AlertChannel.EMAIL -> {
                cm.put("to", c.to());
                cm.put("template", c.template());
            }
            case dev.ferry.core.model.AlertChannel.SLACK -> {
                cm.put("url", c.target());
                cm.put("template", c.template());
            }
            default -> {
                cm.put("url", c.url());
                Map<String, String> headers = new LinkedHashMap<>();
                c.headers().forEach((k, v) -> headers.put(k, SENSITIVE_HEADER.matcher(k).matches() ? REDACTED : v));
                cm.put("headers", headers);
                cm.put("template", c.template());
                cm.put("secret", c.secret() == null ? null : REDACTED);
                cm.put("standardWebhooksSecret", c.standardWebhooksSecret() == null ? null : REDACTED);
            }
        }
        return cm;
    }

    private static Map<String, Object> hiddenChannel(dev.ferry.core.model.AlertChannel c) {
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("type", c.type());
        cm.put("hidden", true);
        return cm;
    }

    /**
     * {@code destinations}: whether the caller sees where each delivery went and its error (which may
     * name the host); when not, {@code url} and {@code error} are null and {@code hidden} is true.
     */
    public static Map<String, Object> alert(dev.ferry.core.model.Alert a, boolean destinations) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("monitorId", a.monitorId());
        m.put("monitor", a.monitorName());
        m.put("trigger", a.trigger());
        m.put("subject", a.subject());
        m.put("instanceId", a.instanceId());
        m.put("customerId", a.customerId());
        m.put("flowConfigId", a.flowConfigId());
        m.put("flow", a.flow());
        m.put("executionId", a.executionId());
        m.put("firedAt", a.firedAt());
        m.put("clearedAt", a.clearedAt());
        m.put("url", a.url());
        m.put("muted", a.muted());
        m.put("mutedReason", a.mutedReason());
        m.put("acknowledgedBy", a.acknowledgedBy());
        m.put("acknowledgedAt", a.acknowledgedAt());
        List<Map<String, Object>> deliveries = new ArrayList<>();
        for (dev.ferry.core.model.AlertDelivery d : a.deliveries()) {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("channel", d.channel());
            dm.put("url", destinations ? d.url() : null);
            dm.put("attempt", d.attempt());
            dm.put("at", d.at());
            dm.put("status", d.status());
            dm.put("delivered", d.delivered());
            dm.put("error", destinations ? d.error() : null);
            if (!destinations) dm.put("hidden", true);
            dm.put("nextAttemptAt", d.nextAttemptAt());
            deliveries.add(dm);
        }
        m.put("deliveries", deliveries);
        return m;
    }
    /** An instance's activity: counts by status per bucket, duration percentiles, failures in 24 h, and the read's bound. */
    static Map<String, Object> activity(String instanceId, dev.ferry.core.service.InstanceActivity.Activity a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instanceId", instanceId);
        m.put("since", a.since());
        m.put("until", a.until());
        m.put("bucketMinutes", a.bucket().toMinutes());
        List<Map<String, Object>> buckets = new ArrayList<>();
        for (dev.ferry.core.service.InstanceActivity.Bucket b : a.buckets()) {
            Map<String, Object> bm = new LinkedHashMap<>();
            bm.put("start", b.start());
            bm.put("counts", statusCounts(b.counts()));
            buckets.add(bm);
        }
        m.put("buckets", buckets);
        m.put("byStatus", statusCounts(a.byStatus()));
        m.put("total", a.counted());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("count", a.durations().count());
        d.put("p50", a.durations().p50());
        d.put("p90", a.durations().p90());
        d.put("p99", a.durations().p99());
        d.put("max", a.durations().max());
        m.put("durationMs", d);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("count", a.failuresLast24h());
        f.put("truncated", a.failuresTruncated());
        f.put("max", dev.ferry.core.service.InstanceActivity.MAX_FAILURES);
        m.put("failuresLast24h", f);
        m.put("truncated", a.truncated());
        m.put("countedFrom", a.countedFrom());
        m.put("maxExecutions", dev.ferry.core.service.InstanceActivity.MAX_EXECUTIONS);
        m.put("at", a.now());
        return m;
    }

    private static Map<String, Object> statusCounts(Map<dev.ferry.core.model.ExecutionStatus, Integer> counts) {
        Map<String, Object> m = new LinkedHashMap<>();
        counts.forEach((k, v) -> m.put(k.name(), v));
        return m;
    }
}
