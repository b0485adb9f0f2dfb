package dev.ferry.local.iam;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * What the functions of one stack asked AWS for, in the template's terms: each call (function,
 * action, resource with the stack's physical names replaced by the template's logical ones, and
 * the statements that allowed it), each refusal, and which action and resource of each inline
 * statement some call needed. {@link #write(Path)} appends it to a directory that an audit reads
 * after the whole suite (the union over stacks is the suite's).
 */
public final class IamLedger {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One call as recorded: the resource generalised ({instance}, {key}…) so that runs compare. */
    public record Entry(String function, String action, String resource, boolean denied, List<String> allowedBy) {}

    /** One pattern (an action or a resource) of one inline statement of one function's role. */
    public record Use(String function, String statement, String kind, String pattern) {}

    private final UnaryOperator<String> names;
    private final Map<Entry, Boolean> entries = new ConcurrentHashMap<>();
    private final Set<Use> used = ConcurrentHashMap.newKeySet();
    private final Set<Use> granted = ConcurrentHashMap.newKeySet();

    /** {@code physicalToLogical}: each resource's physical name (table, queue, bucket…) → its logical id. */
    public IamLedger(Map<String, String> physicalToLogical) {
        Map<String, String> byLength = new TreeMap<>(Comparator.comparing(String::length).reversed().thenComparing(s -> s));
        byLength.putAll(physicalToLogical);
        this.names = s -> {
            String out = s;
            for (var e : byLength.entrySet()) {
                if (!e.getKey().isEmpty()) out = out.replace(e.getKey(), "${" + e.getValue() + "}");
            }
            return out;
        };
    }

    void grants(String function, List<PolicyStatement> inline) {
        for (PolicyStatement s : inline) {
            for (String a : s.actions()) granted.add(new Use(function, s.source(), "action", a));
            for (String r : s.resources()) granted.add(new Use(function, s.source(), "resource", names.apply(r)));
        }
    }

    void allowed(String function, AwsCall call, List<PolicyStatement> by) {
        List<String> sources = new ArrayList<>();
        for (PolicyStatement s : by) {
            sources.add(s.source());
            if (s.forLambda()) continue;
            used.add(new Use(function, s.source(), "action", s.matchingAction(call.action())));
            used.add(new Use(function, s.source(), "resource", names.apply(s.matchingResource(call.resource()))));
        }
        entries.put(new Entry(function, call.action(), generalise(names.apply(call.resource())), false, List.copyOf(sources)), true);
    }

    void denied(String function, AwsCall call) {
        entries.put(new Entry(function, call.action(), generalise(names.apply(call.resource())), true, List.of()), true);
    }

    public List<Entry> entries() {
        return entries.keySet().stream().sorted(Comparator.comparing(Entry::function).thenComparing(Entry::action)
                .thenComparing(Entry::resource)).toList();
    }

    public List<Entry> denials() {
        return entries().stream().filter(Entry::denied).toList();
    }

    public Set<Use> used() {
        return Set.copyOf(used);
    }

    public Set<Use> granted() {
        return Set.copyOf(granted);
    }

    private static final List<Map.Entry<Pattern, String>> GENERAL = List.of(
            Map.entry(Pattern.compile("(log-group:/ferry/customers/)[^:]+"), "$1{customer}"),
            Map.entry(Pattern.compile("(:log-stream:).+"), "$1{stream}"),
            Map.entry(Pattern.compile("(:::\\$\\{[A-Za-z0-9]+}/).+"), "$1{key}"),
            Map.entry(Pattern.compile("(:schedule/\\$\\{[A-Za-z0-9]+}/).+"), "$1{schedule}"),
            Map.entry(Pattern.compile("(:identity/).+"), "$1{sender}"));

    static String generalise(String resource) {
        String out = resource;
        for (var e : GENERAL) out = e.getKey().matcher(out).replaceAll(e.getValue());
        return out;
    }

    /** Writes this ledger as one JSON-lines file in {@code dir} (created if absent). */
    public void write(Path dir) {
        List<String> lines = new ArrayList<>();
        for (Entry e : entries()) {
            ObjectNode n = JSON.createObjectNode().put("type", "call").put("function", e.function()).put("action", e.action())
                    .put("resource", e.resource()).put("denied", e.denied());
            e.allowedBy().forEach(n.putArray("allowedBy")::add);
            lines.add(n.toString());
        }
        for (Use u : granted) lines.add(use("granted", u));
        for (Use u : used) lines.add(use("used", u));
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("stack-" + UUID.randomUUID() + ".jsonl"), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the IAM ledger to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String use(String type, Use u) {
        return JSON.createObjectNode().put("type", type).put("function", u.function()).put("statement", u.statement())
                .put("kind", u.kind()).put("pattern", u.pattern()).toString();
    }
}
