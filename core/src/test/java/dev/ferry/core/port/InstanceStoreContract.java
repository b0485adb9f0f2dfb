package dev.ferry.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.definition.RetryPolicy;
import dev.ferry.core.error.ConflictException;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.model.FlowConfig;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.Page;
import dev.ferry.core.model.PauseMode;
import dev.ferry.core.model.WebhookRoute;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rules every {@link InstanceStore} keeps. Each test starts with an empty store. */
public abstract class InstanceStoreContract {
    protected static final Instant T0 = Instant.parse("2025-06-01T08:00:00Z");
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String customerId = "cus_" + run;

    protected abstract InstanceStore store();

    private Instance instance(int n, String customer) {
        return new Instance(String.format("ins_%s_%03d", run, n), "Instance " + n, customer, "int_" + run, 2, true,
                PauseMode.REJECT, Map.of("apiBase", "https://example.test", "apiKey", "s3cr3t", "empty", ""),
                T0.plus(Duration.ofMinutes(n)), null);
    }

    private Instance instance(int n) {
        return instance(n, customerId);
    }

    private FlowConfig webhook(Instance i, String name) {
        return new FlowConfig("flc_" + i.id() + "_" + name, i.id(), i.customerId(), name, "webhook",
                "tok_" + i.id() + "_" + name + "_" + UUID.randomUUID(), null, null,
                new RetryPolicy(3, 60, RetryPolicy.EXPONENTIAL, 3600, true, "{% $trigger.body.id %}"));
    }

    private FlowConfig scheduled(Instance i, String name) {
        return new FlowConfig("flc_" + i.id() + "_" + name, i.id(), i.customerId(), name, "schedule", null,
                "cron(0/5 * * * ? *)", "Europe/Berlin", null);
    }

    private List<Instance> all(String customer, int limit) {
        List<Instance> out = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<Instance> page = store().list(customer, limit, cursor);
            out.addAll(page.items());
            cursor = page.nextCursor();
            assertThat(++pages).isLessThan(100);
        } while (cursor != null);
        return out;
    }

    @Test
    void createdInstanceReadsBackWithItsFlowConfigsInOrder() {
        Instance i = instance(1);
        List<FlowConfig> configs = List.of(webhook(i, "zeta"), scheduled(i, "nightly"), webhook(i, "alpha"));

        store().create(i, configs);

        assertThat(store().get(i.id())).contains(i);
        assertThat(store().listFlowConfigs(i.id())).containsExactlyElementsOf(configs);
        for (FlowConfig fc : configs) assertThat(store().getFlowConfig(fc.id())).contains(fc);
    }

    @Test
    void aDeliberatePauseAndTheStorageSettingsReadBack() {
        Instance i = instance(1).withStorage(false, true);
        store().create(i, List.of());
        assertThat(store().get(i.id())).contains(i);

        Instance paused = i.pausedBy(new Instance.Pause("oncall (key_1)", "Deploying v2", T0.plusSeconds(5)))
                .withStorage(true, false);
        store().update(paused);
        assertThat(store().get(i.id())).contains(paused);

        Instance running = paused.withEnabled(true);
        store().update(running);
        assertThat(store().get(i.id())).contains(running);
        assertThat(running.pause()).isNull();
    }

    @Test
    void instanceWithoutFlowConfigsReadsBack() {
        Instance i = instance(1);
        store().create(i, List.of());
        assertThat(store().get(i.id())).contains(i);
        assertThat(store().listFlowConfigs(i.id())).isEmpty();
    }

    @Test
    void webhookTokenFindsItsRoute() {
        Instance i = instance(1);
        FlowConfig hook = webhook(i, "orders");
        store().create(i, List.of(hook, scheduled(i, "nightly")));

        assertThat(store().findRoute(hook.webhookToken())).contains(new WebhookRoute(hook.webhookToken(), hook.id(),
                i.id(), i.customerId(), "orders", true, PauseMode.REJECT, i.integrationId(), i.integrationVersion()));
    }

    @Test
    void aVersionChangeIsVisibleOnTheRoutes() {
        Instance i = instance(1);
        FlowConfig hook = webhook(i, "orders");
        store().create(i, List.of(hook));

        store().update(new Instance(i.id(), i.name(), i.customerId(), i.integrationId(), 5, i.enabled(),
                i.pauseMode(), i.configVariables(), i.createdAt(), null));

        WebhookRoute r = store().findRoute(hook.webhookToken()).orElseThrow();
        assertThat(r.integrationId()).isEqualTo(i.integrationId());
        assertThat(r.integrationVersion()).isEqualTo(5);
    }

    @Test
    void unknownThingsAreEmpty() {
        assertThat(store().get("ins_nobody_" + run)).isEmpty();
        assertThat(store().getFlowConfig("flc_nobody_" + run)).isEmpty();
        assertThat(store().findRoute("tok_nobody_" + run)).isEmpty();
        assertThat(store().listFlowConfigs("ins_nobody_" + run)).isEmpty();
    }

    @Test
    void creatingAnExistingInstanceConflictsAndChangesNothing() {
        Instance i = instance(1);
        FlowConfig first = webhook(i, "orders");
        store().create(i, List.of(first));
        Instance again = new Instance(i.id(), "Other", customerId, "int_x", 1, false, PauseMode.HOLD, Map.of(), T0, null);
        FlowConfig other = webhook(again, "other");

        assertThatThrownBy(() -> store().create(again, List.of(other))).isInstanceOf(ConflictException.class);

        assertThat(store().get(i.id())).contains(i);
        assertThat(store().listFlowConfigs(i.id())).containsExactly(first);
        assertThat(store().getFlowConfig(other.id())).isEmpty();
        assertThat(store().findRoute(other.webhookToken())).isEmpty();
    }

    @Test
    void reusedWebhookTokenConflictsAndWritesNothing() {
        Instance a = instance(1);
        FlowConfig hook = webhook(a, "orders");
        store().create(a, List.of(hook));
        Instance b = instance(2);
        FlowConfig stolen = new FlowConfig("flc_b_" + run, b.id(), b.customerId(), "orders", "webhook",
                hook.webhookToken(), null, null, null);

        assertThatThrownBy(() -> store().create(b, List.of(stolen))).isInstanceOf(ConflictException.class);

        assertThat(store().get(b.id())).isEmpty();
        assertThat(store().findRoute(hook.webhookToken()).orElseThrow().instanceId()).isEqualTo(a.id());
    }

    @Test
    void pausingIsVisibleOnTheRoutes() {
        Instance i = instance(1);
        FlowConfig one = webhook(i, "one");
        FlowConfig two = webhook(i, "two");
        store().create(i, List.of(one, scheduled(i, "nightly"), two));

        store().update(new Instance(i.id(), i.name(), i.customerId(), i.integrationId(), i.integrationVersion(), false,
                PauseMode.HOLD, i.configVariables(), i.createdAt(), null));

        for (FlowConfig fc : List.of(one, two)) {
            WebhookRoute r = store().findRoute(fc.webhookToken()).orElseThrow();
            assertThat(r.enabled()).isFalse();
            assertThat(r.pauseMode()).isEqualTo(PauseMode.HOLD);
        }
        store().update(store().get(i.id()).orElseThrow().withEnabled(true));
        assertThat(store().findRoute(one.webhookToken()).orElseThrow().enabled()).isTrue();
        assertThat(store().findRoute(two.webhookToken()).orElseThrow().pauseMode()).isEqualTo(PauseMode.HOLD);
    }

    @Test
    void updateReplacesNameStateConfigAndVersion() {
        Instance i = instance(1);
        store().create(i, List.of(webhook(i, "one")));
        Instance changed = new Instance(i.id(), "Renamed", i.customerId(), i.integrationId(), 3, false, PauseMode.HOLD,
                Map.of("apiBase", "https://new.test"), i.createdAt(), null);

        store().update(changed);

        assertThat(store().get(i.id())).contains(changed);
    }

    @Test
    void updateKeepsLastExecutedAt() {
        Instance i = instance(1);
        store().create(i, List.of());
        Instant ran = T0.plus(Duration.ofHours(1)).plusNanos(5_000);
        store().touchLastExecuted(i.id(), ran);

        store().update(i.withEnabled(false)); // a stale copy: lastExecutedAt null

        assertThat(store().get(i.id()).orElseThrow().lastExecutedAt()).isEqualTo(ran);
    }

    @Test
    void updatingAnUnknownInstanceIsNotFound() {
        assertThatThrownBy(() -> store().update(instance(9))).isInstanceOf(NotFoundException.class);
        assertThat(store().get(instance(9).id())).isEmpty();
    }

    @Test
    void lastExecutedAtNeverMovesBackwards() {
        Instance i = instance(1);
        store().create(i, List.of());
        Instant later = T0.plus(Duration.ofHours(2)).plusNanos(1);
        Instant earlier = T0.plus(Duration.ofHours(1));

        store().touchLastExecuted(i.id(), later);
        store().touchLastExecuted(i.id(), earlier);

        assertThat(store().get(i.id()).orElseThrow().lastExecutedAt()).isEqualTo(later);
        Instant latest = later.plusNanos(1);
        store().touchLastExecuted(i.id(), latest);
        assertThat(store().get(i.id()).orElseThrow().lastExecutedAt()).isEqualTo(latest);
    }

    @Test
    void touchingAnUnknownInstanceChangesNothing() {
        store().touchLastExecuted("ins_nobody_" + run, T0);
        assertThat(store().get("ins_nobody_" + run)).isEmpty();
    }

    @Test
    void listIsOldestFirstAcrossPages() {
        List<Instance> expected = new ArrayList<>();
        for (int n : new int[] {3, 1, 5, 2, 4}) {
            Instance i = instance(n, n % 2 == 0 ? "cus_even_" + run : customerId);
            store().create(i, List.of(webhook(i, "hook")));
        }
        for (int n = 1; n <= 5; n++) expected.add(store().get(instance(n).id()).orElseThrow());

        assertThat(all(null, 2)).containsExactlyElementsOf(expected);
    }

    @Test
    void customerListHoldsOnlyThatCustomersInstancesOldestFirst() {
        for (int n : new int[] {3, 1, 5, 2, 4, 6, 7}) {
            Instance i = instance(n, n % 2 == 0 ? "cus_even_" + run : customerId);
            store().create(i, List.of());
        }

        assertThat(all(customerId, 2)).extracting(Instance::id)
                .containsExactly(instance(1).id(), instance(3).id(), instance(5).id(), instance(7).id());
        assertThat(all("cus_even_" + run, 2)).extracting(Instance::id)
                .containsExactly(instance(2).id(), instance(4).id(), instance(6).id());
        assertThat(store().list("cus_nobody_" + run, 10, null)).isEqualTo(Page.empty());
    }

    @Test
    void customerListShowsCurrentState() {
        Instance i = instance(1);
        store().create(i, List.of());
        store().update(i.withEnabled(false));

        assertThat(store().list(customerId, 10, null).items()).containsExactly(i.withEnabled(false));
    }

    @Test
    void pageOfExactlyTheLimitHasNoCursor() {
        store().create(instance(1), List.of());
        store().create(instance(2), List.of());

        assertThat(store().list(null, 2, null).nextCursor()).isNull();
        assertThat(store().list(customerId, 2, null).nextCursor()).isNull();
    }

    @Test
    void cursorThatIsNotOursIsRejected() {
        assertThatThrownBy(() -> store().list(null, 10, "nope!")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store().list(customerId, 10, "nope!")).isInstanceOf(ValidationException.class);
    }

    // ------------------------------------------------------------------ deletion

    @Test
    void anInstanceMarkedAsBeingDeletedIsGoneToReadersButItsDeletionCanResume() {
        Instance i = instance(1);
        Instance kept = instance(2);
        FlowConfig hook = webhook(i, "orders");
        FlowConfig nightly = scheduled(i, "nightly");
        store().create(i, List.of(hook, nightly));
        store().create(kept, List.of(webhook(kept, "orders")));

        store().markDeleting(i.id());
        store().markDeleting(i.id());

        assertThat(store().get(i.id())).isEmpty();
        assertThat(store().findRoute(hook.webhookToken())).isEmpty();
        assertThat(all(null, 10)).extracting(Instance::id).doesNotContain(i.id()).contains(kept.id());
        assertThat(all(customerId, 10)).extracting(Instance::id).containsExactly(kept.id());
        assertThatThrownBy(() -> store().update(i.withEnabled(false))).isInstanceOf(NotFoundException.class);
        assertThat(store().getDeleting(i.id())).contains(i);
        assertThat(store().getDeleting(kept.id())).isEmpty();
        assertThat(store().listFlowConfigs(i.id())).containsExactly(hook, nightly);
        assertThat(store().get(kept.id())).contains(kept);
    }

    @Test
    void markingAnUnknownInstanceIsNotFound() {
        assertThatThrownBy(() -> store().markDeleting("ins_" + run + "_none")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteRemovesTheInstanceItsFlowConfigsAndRoutesAndIsIdempotent() {
        Instance i = instance(1);
        Instance kept = instance(2);
        FlowConfig hook = webhook(i, "orders");
        FlowConfig nightly = scheduled(i, "nightly");
        FlowConfig keptHook = webhook(kept, "orders");
        store().create(i, List.of(hook, nightly));
        store().create(kept, List.of(keptHook));
        store().markDeleting(i.id());

        store().delete(i.id());
        store().delete(i.id());

        assertThat(store().get(i.id())).isEmpty();
        assertThat(store().getDeleting(i.id())).isEmpty();
        assertThat(store().listFlowConfigs(i.id())).isEmpty();
        assertThat(store().getFlowConfig(hook.id())).isEmpty();
        assertThat(store().getFlowConfig(nightly.id())).isEmpty();
        assertThat(store().findRoute(hook.webhookToken())).isEmpty();
        assertThatThrownBy(() -> store().markDeleting(i.id())).isInstanceOf(NotFoundException.class);
        assertThat(store().get(kept.id())).contains(kept);
        assertThat(store().findRoute(keptHook.webhookToken())).isPresent();
        assertThat(all(customerId, 10)).extracting(Instance::id).containsExactly(kept.id());
    }
}
