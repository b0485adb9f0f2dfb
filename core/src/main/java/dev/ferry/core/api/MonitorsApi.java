package dev.ferry.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.model.AlertChannel;
import dev.ferry.core.model.AlertQuery;
import dev.ferry.core.model.FlowConfig;
import dev.ferry.core.model.Monitor;
import dev.ferry.core.model.MonitorScope;
import dev.ferry.core.model.MonitorTrigger;
import dev.ferry.core.model.MonitorTriggerType;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.Severity;
import dev.ferry.core.port.AlertStore;
import dev.ferry.core.port.CustomerStore;
import dev.ferry.core.port.HttpCaller;
import dev.ferry.core.port.IdGenerator;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.MonitorStore;
import dev.ferry.core.service.AlertMessages;
import dev.ferry.core.service.ChannelSecrets;
import dev.ferry.core.service.Quotas;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The monitor and alert routes (docs/api.md, "Monitors and alerts"): input checks, then the stores. */
public final class MonitorsApi {
    static final int MAX_TRIGGERS = 12;
    static final int MAX_CHANNELS = dev.ferry.core.service.QuotaLimits.MAX_CHANNELS;
    static final int MAX_HEADERS = 20;
    static final int MAX_TEMPLATE = 16_384;
    static final int MAX_RECIPIENTS = 50;
    /** A plain address (local@domain, the domain with a dot): no display name, no spaces, no list separators. */
    private static final Pattern EMAIL_ADDRESS = Pattern.compile(
            "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "connection", "expect",
            "upgrade", "keep-alive", "transfer-encoding", "te", "trailer", AlertMessages.SIGNATURE_HEADER,
            AlertMessages.WEBHOOK_ID, AlertMessages.WEBHOOK_TIMESTAMP, AlertMessages.WEBHOOK_SIGNATURE);

    private final MonitorStore monitors;
    private final AlertStore alerts;
    private final InstanceStore instances;
    private final CustomerStore customers;
    private final IdGenerator ids;
    private final Clock clock;
    private final Tenancy tenancy;
    private final HttpCaller http;
    private final boolean emailEnabled;
    private final Quotas quotas;
    private final ChannelSecrets channelSecrets;

    /**
     * {@code http}: the caller alerts are sent through, whose destination policy a channel URL must pass;
     * {@code emailEnabled}: the deployment has a sender for alert emails, so email channels can be made;
     * {@code channelSecrets}: seals channels as monitors are written, opens them for the view of who sees
     * their destinations (and for no one else).
     */
    public MonitorsApi(MonitorStore monitors, AlertStore alerts, InstanceStore instances, CustomerStore customers,
                       IdGenerator ids, Clock clock, Tenancy tenancy, HttpCaller http, boolean emailEnabled,
                       Quotas quotas, ChannelSecrets channelSecrets) {
        this.quotas = quotas;
        this.channelSecrets = channelSecrets;
        this.monitors = monitors;
        this.alerts = alerts;
        this.instances = instances;
        this.customers = customers;
        this.ids = ids;
        this.clock = clock;
        this.tenancy = tenancy;
        this.http = http;
        this.emailEnabled = emailEnabled;
    }

    /** {@code customerId}: the creating key's customer (null for an admin key), who alone sees the channels. */
    ApiResponse create(ApiRequest request, String customerId) {
        ObjectNode body = Input.object(request);
        Input in = new Input();
        in.onlyFields(body, "name", "triggers", "scope", "channels");
        String name = in.requiredString(body, "name", Input.MAX_NAME);
        List<MonitorTrigger> triggers = triggers(body.get("triggers"), in);
        MonitorScope scope = scope(body.get("scope"), in);
        List<AlertChannel> channels = channels(body.get("channels"), in);
        destinations(channels, in);
        in.check();
        scope = resolve(scope);
        quotas.beforeMonitor(customerId, channels.size());
        Monitor monitor = new Monitor(ids.newId("mon"), name, scope, triggers, channels, clock.instant(), customerId);
        monitors.create(channelSecrets.sealForStore(monitor, true));
        quotas.monitorCreated(customerId, monitor.id());
        return ApiResponse.json(201, Views.monitor(monitor, true));
    }

    /** The longest mute: a monitor muted further ahead than this is a 400 (delete it instead). */
    static final java.time.Duration MAX_MUTE = java.time.Duration.ofDays(90);

    /**
     * {@code customerId} (a customer key's customer, else null): only monitors scoped to that customer or
     * its instances. The store pages over all monitors, so such a page may hold fewer than {@code limit}
     * items while {@code nextCursor} says there are more. Query {@code instanceId}: the monitors that
     * watch that instance (scoped to it, to its customer, or to everything), in one page;
     * {@code customerId}: those scoped to that customer or one of its instances.
     */
    ApiResponse list(ApiRequest request, String customerId) {
        Input in = new Input();
        in.onlyParams(request, "limit", "cursor", "instanceId", "customerId");
        int limit = in.limit(request);
        String instanceId = request.queryParam("instanceId");
        String ofCustomer = request.queryParam("customerId");
        if (instanceId != null && ofCustomer != null) in.add("instanceId", "give instanceId or customerId, not both");
        in.check();
        if (instanceId != null) {
            dev.ferry.core.model.Instance instance = instances.get(instanceId)
                    .orElseThrow(() -> new NotFoundException("instance", instanceId));
            List<Monitor> watching = monitors.inScope(instance.id(), instance.customerId()).stream()
                    .filter(m -> customerId == null || customerId.equals(tenancy.monitorOwner(m)))
                    .sorted(java.util.Comparator.comparing(Monitor::createdAt).thenComparing(Monitor::id)).toList();
            return ApiResponse.page(new Page<>(watching, null).map(m -> view(m, customerId)));
        }
        Page<Monitor> page = monitors.list(limit, request.queryParam("cursor"));
        String only = customerId != null ? customerId : ofCustomer;
        if (only != null) {
            page = new Page<>(page.items().stream().filter(m -> only.equals(tenancy.monitorOwner(m))).toList(),
                    page.nextCursor());
        }
        return ApiResponse.page(page.map(m -> view(m, customerId)));
    }

    /**
     * The monitor as this caller sees it: with its channels' destinations opened for an admin key or
     * the customer whose key created it, as channel types alone for anyone else (nothing is opened).
     */
    private Map<String, Object> view(Monitor m, String customerId) {
        boolean destinations = m.destinationsVisibleTo(customerId);
        return Views.monitor(destinations ? channelSecrets.openForOwner(m) : m, destinations);
    }

    /**
     * {@code PATCH /monitors/{id}}: changes any of name, triggers, scope and channels (each checked as
     * on create; a list given replaces the monitor's) and {@code mutedUntil} (an ISO instant in the
     * next {@link #MAX_MUTE}, or null to unmute). Any bad field is a 400 and nothing is written.
     */
    ApiResponse update(String id, ApiRequest request, String customerId) {
        Monitor current = monitor(id);
        ObjectNode body = Input.object(request);
        Input in = new Input();
        in.onlyFields(body, "name", "triggers", "scope", "channels", "mutedUntil");
        if (body.isEmpty()) in.add("body", "give at least one of name, triggers, scope, channels, mutedUntil");
        String name = body.has("name") ? in.requiredString(body, "name", Input.MAX_NAME) : current.name();
        List<MonitorTrigger> triggers = body.has("triggers") ? triggers(body.get("triggers"), in) : current.triggers();
        MonitorScope scope = body.has("scope") ? scope(body.get("scope"), in) : current.scope();
        List<AlertChannel> channels = body.has("channels") ? channels(body.get("channels"), in) : current.channels();
        if (body.has("channels")) destinations(channels, in);
        Instant now = clock.instant();
        Instant mutedUntil = body.has("mutedUntil") ? mutedUntil(body.get("mutedUntil"), now, in) : current.mutedUntil();
        in.check();
        if (body.has("channels") && !current.destinationsVisibleTo(customerId)) {
            throw new dev.ferry.core.error.ForbiddenException("the channels of a monitor an admin key created can be "
                    + "changed only with an admin key");
        }
        if (body.has("scope")) scope = resolve(scope);
        if (body.has("channels")) quotas.beforeChannels(customerId, channels.size());
        Monitor changed = new Monitor(current.id(), name, scope, triggers, channels, current.createdAt(),
                current.creatorCustomerId(), mutedUntil, now);
        // Any write seals what it sets and what is still plain from before channels were sealed.
        monitors.update(channelSecrets.sealForStore(changed, body.has("channels")));
        if (body.has("channels")) return ApiResponse.json(200, Views.monitor(changed, true));
        return ApiResponse.json(200, view(changed, customerId));
    }

    private static Instant mutedUntil(JsonNode v, Instant now, Input in) {
        if (v == null || v.isNull()) return null;
        Instant at = null;
        if (v.isTextual()) {
            try {
                at = Instant.parse(v.asText().trim());
            } catch (java.time.format.DateTimeParseException e) {
                // reported below
            }
        }
        if (at == null) {
            in.add("mutedUntil", "must be an ISO-8601 UTC time like 2026-01-31T12:00:00Z, or null to unmute");
        } else if (!at.isAfter(now) || at.isAfter(now.plus(MAX_MUTE))) {
            in.add("mutedUntil", "must be in the future and at most " + MAX_MUTE.toDays() + " days ahead (now is "
                    + now + "); null unmutes");
            at = null;
        }
        return at;
    }

    /** {@code customerId} (a customer key's customer, else null): channels' destinations only if it created the monitor. */
    ApiResponse get(String id, String customerId) {
        return ApiResponse.json(200, view(monitor(id), customerId));
    }

    ApiResponse delete(String id) {
        Monitor m = monitor(id);
        monitors.delete(id);
        quotas.monitorDeleted(m.creatorCustomerId(), id);
        return ApiResponse.empty(204);
    }

    /**
     * {@code customerId} (a customer key's customer, else null): only alerts about that customer's instances,
     * and a delivery's destination and error only on alerts of monitors that customer's key created (a
     * deleted monitor's are hidden too): an operator's channel URL is a credential; {@code acknowledged=true|false}: only alerts
     * acknowledged, or not yet.
     */
    ApiResponse alerts(ApiRequest request, String customerId) {
        Input in = new Input();
        in.onlyParams(request, "monitorId", "instanceId", "since", "acknowledged", "limit", "cursor");
        Instant since = in.instant(request, "since");
        Boolean acknowledged = request.queryParam("acknowledged") == null ? null : in.flag(request, "acknowledged");
        int limit = in.limit(request);
        in.check();
        Map<String, Boolean> visible = new java.util.HashMap<>();
        Page<Map<String, Object>> page = alerts.list(new AlertQuery(request.queryParam("monitorId"),
                request.queryParam("instanceId"), since, limit, request.queryParam("cursor"), customerId, acknowledged))
                .map(a -> alertView(a, customerId == null || visible.computeIfAbsent(a.monitorId(),
                        id -> monitors.get(id).map(m -> m.destinationsVisibleTo(customerId)).orElse(false))));
        return ApiResponse.page(page);
    }

    /**
     * {@code POST /alerts/{id}/acknowledge}: records who acknowledged the alert and when; idempotent
     * (acknowledging again keeps the first acknowledgement and answers the same). 200 with the alert.
     */
    ApiResponse acknowledge(String id, ApiRequest request, String who, String customerId) {
        ObjectNode body = Input.objectOrEmpty(request);
        Input in = new Input();
        in.onlyFields(body);
        in.check();
        dev.ferry.core.model.Alert alert = alerts.byId(id).orElseThrow(() -> new NotFoundException("alert", id));
        dev.ferry.core.model.Alert acknowledged = alerts.acknowledge(alert.monitorId(), alert.key(), who, clock.instant())
                .orElseThrow(() -> new NotFoundException("alert", id));
        boolean visible = customerId == null || monitors.get(acknowledged.monitorId())
                .map(m -> m.destinationsVisibleTo(customerId)).orElse(false);
        return ApiResponse.json(200, alertView(acknowledged, visible));
    }

    /** An alert with, for who sees its monitor's destinations, each delivery's destination opened. */
    private Map<String, Object> alertView(dev.ferry.core.model.Alert a, boolean destinations) {
        if (!destinations) return Views.alert(a, false);
        return Views.alert(a.withDeliveries(a.deliveries().stream()
                .map(d -> channelSecrets.openForOwner(a.monitorId(), d)).toList()), true);
    }

    private Monitor monitor(String id) {
        return monitors.get(id).orElseThrow(() -> new NotFoundException("monitor", id));
    }

    // ------------------------------------------------------------------ input

    private static List<MonitorTrigger> triggers(JsonNode node, Input in) {
        List<MonitorTrigger> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            in.add("triggers", "is required: a list of {\"type\": …} with the trigger's parameters");
            return out;
        }
        if (!node.isArray() || node.isEmpty() || node.size() > MAX_TRIGGERS) {
            in.add("triggers", "must be a list of 1 to " + MAX_TRIGGERS + " triggers");
            return out;
        }
        Set<MonitorTriggerType> seen = EnumSet.noneOf(MonitorTriggerType.class);
        for (int i = 0; i < node.size(); i++) {
            String f = "triggers[" + i + "]";
            JsonNode t = node.get(i);
            if (!t.isObject()) {
                in.add(f, "must be an object {\"type\": …}");
                continue;
            }
            ObjectNode o = (ObjectNode) t;
            MonitorTriggerType type = in.optionalEnumIn(f, o, "type", MonitorTriggerType.class);
            if (type == null) {
                if (o.get("type") == null || o.get("type").isNull()) in.add(f + ".type", "is required");
                continue;
            }
            if (!seen.add(type)) {
                in.add(f + ".type", type + " appears more than once");
                continue;
            }
            MonitorTrigger trigger = switch (type) {
                case EXECUTION_DURATION_EXCEEDED -> {
                    in.onlyFieldsIn(f, o, "type", "durationSeconds");
                    Integer s = in.requiredIntIn(f, o, "durationSeconds", 1, 86_400);
                    yield s == null ? null : MonitorTrigger.durationExceeded(s);
                }
                case EXECUTION_OVERDUE -> {
                    in.onlyFieldsIn(f, o, "type", "overdueMinutes");
                    Integer m = in.requiredIntIn(f, o, "overdueMinutes", 1, 525_600);
                    yield m == null ? null : MonitorTrigger.overdue(m);
                }
                case FAILURE_RATE -> {
                    in.onlyFieldsIn(f, o, "type", "percent", "windowMinutes", "minExecutions");
                    Double p = percent(o, f, in);
                    Integer w = in.requiredIntIn(f, o, "windowMinutes", 1, 1440);
                    Integer min = in.optionalIntIn(f, o, "minExecutions", 1, 1_000_000);
                    yield p == null || w == null ? null : MonitorTrigger.failureRate(p, w, min);
                }
                case LOG_LEVEL_MATCHED -> {
                    in.onlyFieldsIn(f, o, "type", "logSeverity");
                    yield logSeverity(o, f, in).map(MonitorTrigger::logLevel).orElse(null);
                }
                default -> {
                    in.onlyFieldsIn(f, o, "type");
                    yield MonitorTrigger.of(type);
                }
            };
            if (trigger != null) out.add(trigger);
        }
        return out;
    }

    private static Double percent(ObjectNode o, String f, Input in) {
        JsonNode v = o.get("percent");
        if (v == null || v.isNull()) {
            in.add(f + ".percent", "is required (the failure percentage that alerts, above 0 and at most 100)");
            return null;
        }
        if (!v.isNumber() || v.asDouble() <= 0 || v.asDouble() > 100) {
            in.add(f + ".percent", "must be a number above 0 and at most 100");
            return null;
        }
        return v.asDouble();
    }

    private static Optional<Severity> logSeverity(ObjectNode o, String f, Input in) {
        JsonNode v = o.get("logSeverity");
        Optional<Severity> s = v == null || !v.isTextual() ? Optional.empty() : Severity.parse(v.asText());
        if (s.isEmpty() || !s.get().atLeast(Severity.WARN)) {
            in.add(f + ".logSeverity", v == null || v.isNull() ? "is required: WARN or ERROR" : "must be WARN or ERROR");
            return Optional.empty();
        }
        return s;
    }

    private static MonitorScope scope(JsonNode node, Input in) {
        if (node == null || node.isNull()) return MonitorScope.EVERYTHING;
        if (!node.isObject()) {
            in.add("scope", "must be an object {instanceId, flowConfigId} or {customerId}, or {} for everything");
            return MonitorScope.EVERYTHING;
        }
        ObjectNode o = (ObjectNode) node;
        in.onlyFieldsIn("scope", o, "instanceId", "flowConfigId", "customerId");
        String instanceId = in.optionalIdIn("scope", o, "instanceId");
        String flowConfigId = in.optionalIdIn("scope", o, "flowConfigId");
        String customerId = in.optionalIdIn("scope", o, "customerId");
        if (customerId != null && (instanceId != null || flowConfigId != null)) {
            in.add("scope", "give an instance (optionally with one of its flow configs), a customer, or neither "
                    + "for everything — not both");
        }
        return new MonitorScope(instanceId, flowConfigId, customerId);
    }

    /** Checks that the scope's instance, flow config or customer exist; a flow config alone names its instance. */
    private MonitorScope resolve(MonitorScope s) {
        if (s.flowConfigId() != null) {
            FlowConfig fc = instances.getFlowConfig(s.flowConfigId())
                    .orElseThrow(() -> new ValidationException("scope.flowConfigId", "no flow config '" + s.flowConfigId() + "'"));
            if (s.instanceId() != null && !s.instanceId().equals(fc.instanceId())) {
                throw new ValidationException("scope.flowConfigId", "flow config '" + fc.id()
                        + "' belongs to instance '" + fc.instanceId() + "', not '" + s.instanceId() + "'");
            }
            if (instances.get(fc.instanceId()).isEmpty()) {
                throw new ValidationException("scope.instanceId", "no instance '" + fc.instanceId() + "'");
            }
            return MonitorScope.flowConfig(fc.instanceId(), fc.id());
        }
        if (s.instanceId() != null && instances.get(s.instanceId()).isEmpty()) {
            throw new ValidationException("scope.instanceId", "no instance '" + s.instanceId() + "'");
        }
        if (s.customerId() != null && customers.get(s.customerId()).isEmpty()) {
            throw new ValidationException("scope.customerId", "no customer '" + s.customerId() + "'");
        }
        return s;
    }

    private List<AlertChannel> channels(JsonNode node, Input in) {
        List<AlertChannel> out = new ArrayList<>();
        if (node == null || node.isNull()) return out;
        if (!node.isArray() || node.size() > MAX_CHANNELS) {
            in.add("channels", "must be a list of at most " + MAX_CHANNELS + " channels");
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            String f = "channels[" + i + "]";
            JsonNode c = node.get(i);
            if (!c.isObject()) {
                in.add(f, "must be an object {\"type\": \"webhook\" | \"slack\" | \"email\", …}");
                continue;
            }
            ObjectNode o = (ObjectNode) c;
            String type = in.optionalStringIn(f, o, "type", 20);
            if (type == null) type = AlertChannel.WEBHOOK;
            AlertChannel channel = switch (type) {
                case AlertChannel.WEBHOOK -> webhook(o, f, in);
                case AlertChannel.SLACK -> slack(o, f, in);
                case AlertChannel.EMAIL -> email(o, f, in);
                default -> {
                    // Its other fields are checked as a webhook's, so every bad field is named at once.
                    in.add(f + ".type", "must be one of " + String.join(", ", AlertChannel.TYPES));
                    webhook(o, f, in);
                    yield null;
                }
            };
            out.add(channel); // null for an unknown type: the request is refused, and later indexes stay right
        }
        return out;
    }

    private static AlertChannel webhook(ObjectNode o, String f, Input in) {
        in.onlyFieldsIn(f, o, "type", "url", "headers", "template", "secret", "standardWebhooksSecret");
        String url = url(o, f, in);
        Map<String, String> headers = headers(o.get("headers"), f + ".headers", in);
        String template = in.optionalTextIn(f, o, "template", MAX_TEMPLATE);
        String secret = in.optionalTextIn(f, o, "secret", 512);
        String standard = in.optionalTextIn(f, o, "standardWebhooksSecret", 200);
        if (standard != null && !standardSecret(standard)) {
            in.add(f + ".standardWebhooksSecret", "must be whsec_ followed by the base64 of 24 to 64 random bytes "
                    + "(e.g. whsec_$(openssl rand -base64 32))");
        }
        return new AlertChannel(AlertChannel.WEBHOOK, url, headers, template, secret, standard, null);
    }

    private static AlertChannel slack(ObjectNode o, String f, Input in) {
        in.onlyFieldsIn(f, o, "type", "url", "template");
        String url = url(o, f, in);
        String template = in.optionalTextIn(f, o, "template", MAX_TEMPLATE);
        return AlertChannel.slack(url, template);
    }

    private AlertChannel email(ObjectNode o, String f, Input in) {
        in.onlyFieldsIn(f, o, "type", "to", "template");
        if (!emailEnabled) {
            in.add(f + ".type", "email alerts are not set up in this deployment: deploy with the AlertEmailSender "
                    + "parameter (an address, or an address of a domain, verified in Amazon SES)");
        }
        List<String> to = addresses(o.get("to"), f + ".to", in);
        String template = in.optionalTextIn(f, o, "template", MAX_TEMPLATE);
        return AlertChannel.email(to, template);
    }

    private static String url(ObjectNode o, String f, Input in) {
        String url = in.requiredStringIn(f, o, "url", 2048);
        if (url != null && !httpUrl(url)) in.add(f + ".url", "must be an absolute http:// or https:// URL");
        return url;
    }

    /** 1 to {@value #MAX_RECIPIENTS} addresses (SES's limit per message), each once. */
    private static List<String> addresses(JsonNode node, String f, Input in) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            in.add(f, "is required: a list of 1 to " + MAX_RECIPIENTS + " email addresses");
            return out;
        }
        if (!node.isArray() || node.isEmpty() || node.size() > MAX_RECIPIENTS) {
            in.add(f, "must be a list of 1 to " + MAX_RECIPIENTS + " email addresses");
            return out;
        }
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode a = node.get(i);
            String address = a.isTextual() ? a.asText().trim() : null;
            if (address == null || address.length() > 254 || !EMAIL_ADDRESS.matcher(address).matches()) {
                in.add(f + "[" + i + "]", "must be an email address such as ops@example.com");
            } else if (seen.add(address.toLowerCase(Locale.ROOT))) {
                out.add(address);
            }
        }
        return out;
    }

    /** {@code whsec_} and the standard base64 of 24 to 64 bytes, as Standard Webhooks secrets are. */
    static boolean standardSecret(String s) {
        if (!s.startsWith(AlertMessages.STANDARD_SECRET_PREFIX)) return false;
        try {
            int n = AlertMessages.standardSecretKey(s).length;
            return n >= 24 && n <= 64;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * A channel URL the destination policy refuses without a lookup (an address literal or
     * localhost it does not allow, a port of the local stack itself) is a 400 now rather than a
     * failed delivery later; host names are checked at every delivery.
     */
    private void destinations(List<AlertChannel> channels, Input in) {
        for (int i = 0; i < channels.size(); i++) {
            AlertChannel c = channels.get(i);
            if (c == null || c.url() == null || !httpUrl(c.url())) continue;
            try {
                http.checkDestination(c.url());
            } catch (IllegalArgumentException e) {
                in.add("channels[" + i + "].url", e.getMessage());
            }
        }
    }

    private static Map<String, String> headers(JsonNode node, String f, Input in) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) return out;
        if (!node.isObject() || node.size() > MAX_HEADERS) {
            in.add(f, "must be an object of at most " + MAX_HEADERS + " header: value pairs");
            return out;
        }
        node.fields().forEachRemaining(e -> {
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (!HEADER_NAME.matcher(name).matches()) in.add(f + "." + name, "is not a valid header name");
            else if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) in.add(f + "." + name, "is set by Ferry itself");
            else if (!v.isTextual() || v.asText().length() > 4096 || v.asText().chars().anyMatch(ch -> ch == '\r' || ch == '\n')) {
                in.add(f + "." + name, "must be a string of at most 4096 characters on one line");
            } else {
                out.put(name, v.asText());
            }
        });
        return out;
    }

    private static boolean httpUrl(String s) {
        try {
            URI u = new URI(s);
            return ("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme()))
                    && u.getHost() != null && !u.getHost().isBlank();
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
