package dev.ferry.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, held by the suite: every end-to-end test runs its stack with IAM enforced
 * (each function with its own role from the SAM-transformed template) and writes what each
 * function asked AWS for to the build's ledger. This test runs after all of them (its own
 * failsafe execution, {@code iam-audit} in local/pom.xml; its name matches no test pattern so that
 * nothing else runs it) and checks the union:
 *
 * <ul>
 *   <li>no call was refused: every action on every resource ARN (tables, indexes, objects, log
 *       streams, schedules, keys with their encryption context) was allowed by the function's role;</li>
 *   <li>every action and every resource of every inline statement of every role was needed by
 *       some call: a grant no code path uses fails here until it is removed — but for the few in
 *       {@link #NOT_REACHED}, each needed by a code path no test reaches and named with it; one of
 *       those the suite does use, or no statement holds, fails too, so that list only shrinks.</li>
 * </ul>
 *
 * It writes the table of calls per function to {@code docs/iam.md}. Run for some tests only
 * ({@code -Dit.test=…} other than {@code *IT}), it checks refusals and leaves the grants and the
 * table alone: a part of the suite does not need every grant.
 */
class IamPolicyAudit {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Use(String function, String statement, String kind, String pattern) implements Comparable<Use> {
        @Override
        public int compareTo(Use o) {
            return toString().compareTo(o.toString());
        }
    }

    /** A grant kept for a code path no test of the suite reaches: the function, "action" or "resource", the grant, the path. */
    record NotReached(String function, String kind, String pattern, String path) {}

    static final List<NotReached> NOT_REACHED = List.of(
            new NotReached("WebhookFunction", "action", "dynamodb:UpdateItem",
                    "an execution held as its instance was unpaused is released by the webhook's own request "
                            + "(HeldExecutions.releaseIfUnpaused): a race between the webhook's write and the unpause"),
            new NotReached("FlowExecutionFunction", "action", "dynamodb:GetItem",
                    "a held execution released by the queued release whose enqueue then fails is read back and held "
                            + "again (HeldExecutions.releaseOne)"),
            new NotReached("ReplayFunction", "action", "dynamodb:DeleteItem",
                    "a customer key starting a bulk job past its quota gives back the places of its expired jobs "
                            + "(Quotas, QuotaCounters.release); a replay held as its instance is deleted is deleted "
                            + "(HeldExecutions.releaseIfUnpaused)"),
            new NotReached("ReplayFunction", "action", "s3:DeleteObject",
                    "a replay held (its instance paused) whose instance is deleted before the replay's own release "
                            + "check is deleted with its payloads (HeldExecutions.releaseIfUnpaused)"),
            new NotReached("MonitorEvaluationFunction", "action", "s3:PutObject",
                    "a stuck execution saved FAILED whose body in S3 differs from the item's (ExecutionStore.save "
                            + "stores it again)"),
            new NotReached("MonitorEvaluationFunction", "action", "s3:DeleteObject",
                    "a stuck execution saved FAILED whose item no longer points at a payload it had "
                            + "(ExecutionStore.save deletes it)"));

    @Test
    void everyCallOfTheSuiteWasAllowedAndEveryGrantWasNeeded() throws IOException {
        Path dir = TestEmulator.iamLedgerDir();
        assertThat(dir).as("-Dferry.iam.ledger (set by local/pom.xml)").isNotNull();
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".jsonl")).sorted().forEach(files::add);
            }
        }
        boolean partial = partial();
        if (partial && files.isEmpty()) return; // the tests asked for started no stack
        assertThat(files).as("ledgers of the end-to-end tests' stacks in " + dir).isNotEmpty();

        Map<String, Map<String, Set<String>>> calls = new TreeMap<>(); // function → "action resource" → allowed by
        Set<String> denied = new TreeSet<>();
        Set<Use> granted = new TreeSet<>();
        Set<Use> used = new TreeSet<>();
        for (Path f : files) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                JsonNode n = JSON.readTree(line);
                switch (n.path("type").asText()) {
                    case "call" -> {
                        String fn = n.path("function").asText();
                        String key = n.path("action").asText() + "\t" + n.path("resource").asText();
                        if (n.path("denied").asBoolean()) {
                            denied.add(fn + ": " + n.path("action").asText() + " on " + n.path("resource").asText());
                        } else {
                            Set<String> by = calls.computeIfAbsent(fn, k -> new TreeMap<>()).computeIfAbsent(key, k -> new TreeSet<>());
                            n.path("allowedBy").forEach(s -> by.add(s.asText()));
                        }
                    }
                    case "granted", "used" -> {
                        Use u = new Use(n.path("function").asText(), n.path("statement").asText(), n.path("kind").asText(),
                                n.path("pattern").asText());
                        (n.path("type").asText().equals("granted") ? granted : used).add(u);
                    }
                    default -> throw new IllegalStateException(f + ": unknown line " + line);
                }
            }
        }

        Set<Use> unused = new TreeSet<>(granted);
        unused.removeAll(used);
        List<String> problems = new ArrayList<>();
        denied.forEach(d -> problems.add("refused: " + d));
        if (!partial) {
            for (NotReached n : NOT_REACHED) {
                boolean isUnused = unused.stream().anyMatch(u -> matches(n, u));
                boolean isGranted = granted.stream().anyMatch(u -> matches(n, u));
                if (!isGranted) problems.add("declared not reached but not granted (remove it from NOT_REACHED): " + n);
                else if (!isUnused) problems.add("declared not reached but the suite needed it (remove it from NOT_REACHED): " + n);
            }
            unused.removeIf(u -> NOT_REACHED.stream().anyMatch(n -> matches(n, u)));
            unused.forEach(u -> problems.add("never needed: " + u.function() + " " + u.statement() + " " + u.kind() + " " + u.pattern()));
            writeTable(calls, granted.size(), files.size());
        }
        assertThat(problems).as("calls the functions made that their roles in template.yaml do not allow (AWS would refuse "
                + "each with AccessDenied: grant it narrowly, or remove the call), and grants no call of the whole suite "
                + "needed (remove them, or add the test that exercises the code path needing them)").isEmpty();
    }

    private static boolean matches(NotReached n, Use u) {
        return n.function().equals(u.function()) && n.kind().equals(u.kind()) && n.pattern().equals(u.pattern());
    }

    private static boolean partial() {
        String v = System.getProperty("ferry.iam.partial", "");
        return !v.isBlank() && !v.startsWith("${") && !v.equals("*IT");
    }

    private static void writeTable(Map<String, Map<String, Set<String>>> calls, int grants, int stacks) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# What each function asks AWS for\n\n");
        b.append("Generated by `IamPolicyAudit` from the end-to-end suite (`./ferry test`): every AWS call each\n");
        b.append("function made, with IAM enforced as on AWS (each function with its own role from the\n");
        b.append("SAM-transformed template.yaml; moto checks the action, the local stack the resource ARN and\n");
        b.append("the conditions). The suite fails if any call was refused or if any action or resource of a\n");
        b.append("role's statements was never needed. Do not edit: run `./ferry test` and commit the result.\n\n");
        b.append("Resources are in the template's terms: `${ExecutionsTable}` is that table's name;\n");
        b.append("`{instance}`, `{key}`, `{stream}`, `{schedule}` and `{sender}` stand for the parts that vary per call.\n");
        b.append("The statements are named as the transformed template names them (`<Function>RolePolicy<n>#<statement>`).\n");
        b.append("Each role's `<Function>RuntimeLogs` (its own log group, `/aws/lambda/<stack>-<Function>`) is left out:\n");
        b.append("Lambda's runtime writes there, not Ferry's code, and the local stack prints the functions' output instead.\n\n");
        b.append("Ledger: ").append(stacks).append(" stacks; ").append(grants).append(" action and resource grants, each needed by a call\n")
                .append("of the suite but for the ").append(NOT_REACHED.size()).append(" below, each needed by a code path no test reaches.\n");
        for (var fn : calls.entrySet()) {
            b.append("\n## ").append(fn.getKey()).append("\n\n| action | resource | allowed by |\n|---|---|---|\n");
            for (var c : fn.getValue().entrySet()) {
                String[] parts = c.getKey().split("\t", 2);
                b.append("| `").append(parts[0]).append("` | `").append(parts[1].replace("|", "\\|")).append("` | ")
                        .append(String.join(", ", c.getValue())).append(" |\n");
            }
        }
        if (!NOT_REACHED.isEmpty()) {
            b.append("\n## Granted for paths the suite does not reach\n\nEach reviewed against the code; `IamPolicyAudit.NOT_REACHED` holds them, and\n")
                    .append("fails once the suite does reach one, so the list only shrinks.\n\n| function | grant | the path that needs it |\n|---|---|---|\n");
            for (NotReached n : NOT_REACHED) {
                b.append("| ").append(n.function()).append(" | ").append(n.kind()).append(" `").append(n.pattern()).append("` | ")
                        .append(n.path()).append(" |\n");
            }
        }
        Path root = Path.of(System.getProperty("ferry.repo.root", "."));
        Path doc = root.resolve("docs/iam.md");
        if (Files.isDirectory(doc.getParent())) Files.writeString(doc, b.toString(), StandardCharsets.UTF_8);
    }
}
