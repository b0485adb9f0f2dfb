package dev.ferry.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.definition.ConfigVariableDef;
import dev.ferry.core.definition.FlowDef;
import dev.ferry.core.definition.IntegrationDefinition;
import dev.ferry.core.definition.RetryPolicy;
import dev.ferry.core.definition.StepDef;
import dev.ferry.core.definition.TriggerDef;
import dev.ferry.core.error.ConflictException;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.model.Integration;
import dev.ferry.core.model.IntegrationVersion;
import dev.ferry.core.model.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rules every {@link IntegrationStore} keeps. Each test starts with an empty store. */
public abstract class IntegrationStoreContract {
    protected static final Instant T0 = Instant.parse("2025-06-01T08:00:00Z");
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    protected abstract IntegrationStore store();

    static IntegrationDefinition definition(String name) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode log = f.objectNode().put("severity", "INFO").put("message", "{% 'order ' & $trigger.body.id %}");
        ObjectNode http = f.objectNode().put("method", "GET").put("url", "{% $config.apiBase & '/orders' %}");
        http.putObject("headers").put("Authorization", "{% 'Bearer ' & $config.apiKey %}");
        ObjectNode shape = f.objectNode();
        shape.putObject("output").put("id", "{% $steps.fetch.body.id %}").putArray("tags").add(1).add(true);
        return new IntegrationDefinition(name, "Syncs orders",
                List.of(new ConfigVariableDef("apiBase", true, false, null, "Base URL"),
                        new ConfigVariableDef("apiKey", false, true, "none", null)),
                List.of(new FlowDef("On new order", new TriggerDef(TriggerDef.WEBHOOK, null, null),
                                new RetryPolicy(3, 60, RetryPolicy.EXPONENTIAL, 86400, true,
                                        "{% $trigger.headers.'x-request-id' %}"),
                                List.of(new StepDef("log", "log", log), new StepDef("fetch", "http", http),
                                        new StepDef("shape", "transform", shape))),
                        new FlowDef("Nightly", new TriggerDef(TriggerDef.SCHEDULE, "cron(0 2 * * ? *)", "Europe/Berlin"),
                                null, List.of(new StepDef("log", "log", f.objectNode().put("message", "hi"))))));
    }

    private Integration integration(int n) {
        Instant at = T0.plus(Duration.ofMinutes(n));
        return new Integration(String.format("int_%s_%03d", run, n), "Integration " + n, 1, at, at);
    }

    private IntegrationVersion version(Integration i, int v) {
        return new IntegrationVersion(i.id(), v, definition(i.name() + " v" + v), i.createdAt().plusSeconds(v));
    }

    @Test
    void createdIntegrationAndItsFirstVersionReadBack() {
        Integration i = integration(1);
        IntegrationVersion v1 = version(i, 1);

        store().create(i, v1);

        assertThat(store().get(i.id())).contains(i);
        assertThat(store().getVersion(i.id(), 1)).contains(v1);
        assertThat(store().getVersion(i.id(), 2)).isEmpty();
    }

    @Test
    void unknownIntegrationIsEmpty() {
        assertThat(store().get("int_nobody_" + run)).isEmpty();
        assertThat(store().getVersion("int_nobody_" + run, 1)).isEmpty();
    }

    @Test
    void creatingAnExistingIdConflictsAndKeepsTheFirst() {
        Integration i = integration(1);
        IntegrationVersion v1 = version(i, 1);
        store().create(i, v1);

        Integration again = new Integration(i.id(), "Other", 1, T0, T0);
        assertThatThrownBy(() -> store().create(again, new IntegrationVersion(i.id(), 1, definition("Other"), T0)))
                .isInstanceOf(ConflictException.class);

        assertThat(store().get(i.id())).contains(i);
        assertThat(store().getVersion(i.id(), 1)).contains(v1);
    }

    @Test
    void addingTheNextVersionMovesLatestVersion() {
        Integration i = integration(1);
        store().create(i, version(i, 1));
        IntegrationVersion v2 = version(i, 2);
        IntegrationVersion v3 = version(i, 3);

        store().addVersion(v2);
        store().addVersion(v3);

        Integration stored = store().get(i.id()).orElseThrow();
        assertThat(stored.latestVersion()).isEqualTo(3);
        assertThat(stored.updatedAt()).isEqualTo(v3.createdAt());
        assertThat(stored.createdAt()).isEqualTo(i.createdAt());
        assertThat(store().getVersion(i.id(), 2)).contains(v2);
        assertThat(store().getVersion(i.id(), 3)).contains(v3);
    }

    @Test
    void versionThatIsNotLatestPlusOneConflicts() {
        Integration i = integration(1);
        store().create(i, version(i, 1));
        store().addVersion(version(i, 2));

        assertThatThrownBy(() -> store().addVersion(version(i, 2))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> store().addVersion(version(i, 4))).isInstanceOf(ConflictException.class);

        assertThat(store().get(i.id()).orElseThrow().latestVersion()).isEqualTo(2);
        assertThat(store().getVersion(i.id(), 4)).isEmpty();
    }

    @Test
    void versionOfUnknownIntegrationIsNotFound() {
        Integration ghost = integration(9);
        assertThatThrownBy(() -> store().addVersion(version(ghost, 2))).isInstanceOf(NotFoundException.class);
        assertThat(store().getVersion(ghost.id(), 2)).isEmpty();
    }

    @Test
    void listIsOldestFirstAcrossPages() {
        List<Integration> created = new ArrayList<>();
        for (int n : new int[] {4, 2, 5, 1, 3}) {
            Integration i = integration(n);
            store().create(i, version(i, 1));
            created.add(i);
        }
        created.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));

        Page<Integration> first = store().list(2, null);
        Page<Integration> second = store().list(2, first.nextCursor());
        Page<Integration> third = store().list(2, second.nextCursor());

        assertThat(first.items()).containsExactlyElementsOf(created.subList(0, 2));
        assertThat(second.items()).containsExactlyElementsOf(created.subList(2, 4));
        assertThat(third.items()).containsExactlyElementsOf(created.subList(4, 5));
        assertThat(third.nextCursor()).isNull();
    }

    @Test
    void listShowsTheLatestVersion() {
        Integration i = integration(1);
        store().create(i, version(i, 1));
        store().addVersion(version(i, 2));

        assertThat(store().list(10, null).items()).extracting(Integration::latestVersion).containsExactly(2);
    }

    @Test
    void cursorThatIsNotOursIsRejected() {
        assertThatThrownBy(() -> store().list(10, "%%%")).isInstanceOf(ValidationException.class);
    }
}
