package dev.ferry.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.ValidationException;
import dev.ferry.core.fakes.MutableClock;
import dev.ferry.core.model.Alert;
import dev.ferry.core.model.AlertDelivery;
import dev.ferry.core.model.AlertQuery;
import dev.ferry.core.model.MonitorTriggerType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rules every {@link AlertStore} keeps. Subclasses build the store with {@link #clock}; each test starts empty. */
public abstract class AlertStoreContract {
    protected static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    protected final MutableClock clock = new MutableClock(START);
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    protected abstract AlertStore store();

    private String monitor(int n) {
        return "mon_" + run + "_" + n;
    }

    private Alert alert(int n, String monitorId, String instanceId, Instant firedAt) {
        return new Alert(String.format("alr_%s_%03d", run, n), monitorId, "Monitor", "EXECUTION#exe_" + n,
                MonitorTriggerType.EXECUTION_FAILED, "Execution failed: flow 'x' of Acme", instanceId, "cus_1",
                "flc_1", "x", "exe_" + n, firedAt, null, "https://api.example.test/executions/exe_" + n,
                Map.of("SUBJECT", "Execution failed", "INSTANCE", "Acme"), List.of(), firedAt.plus(Duration.ofDays(14)));
    }

    @Test
    void createdAlertReadsBackByMonitorAndKey() {
        Alert a = alert(1, monitor(1), "ins_1", START);

        assertThat(store().create(a)).isTrue();

        assertThat(store().get(a.monitorId(), a.key())).contains(a);
        assertThat(store().get(monitor(2), a.key())).isEmpty();
    }

    @Test
    void anAlertIsFoundByItsIdAndAcknowledgedOnce() {
        Alert a = alert(1, monitor(1), "ins_1", START).withMuted("monitor muted");
        store().create(a);
        store().create(alert(2, monitor(1), "ins_1", START.plusSeconds(1)));

        Alert acknowledged = store().acknowledge(a.monitorId(), a.key(), "oncall (key_1)", START.plusSeconds(60)).orElseThrow();
        Alert again = store().acknowledge(a.monitorId(), a.key(), "someone else", START.plusSeconds(90)).orElseThrow();

        assertThat(store().byId(a.id())).contains(acknowledged);
        assertThat(acknowledged.muted()).isTrue();
        assertThat(acknowledged.mutedReason()).isEqualTo("monitor muted");
        assertThat(acknowledged.acknowledgedBy()).isEqualTo("oncall (key_1)");
        assertThat(acknowledged.acknowledgedAt()).isEqualTo(START.plusSeconds(60));
        assertThat(again).isEqualTo(acknowledged);
        assertThat(store().byId("alr_nope_" + run)).isEmpty();
        assertThat(store().acknowledge(monitor(9), "nope", "x", START)).isEmpty();
        AlertQuery open = new AlertQuery(monitor(1), null, null, 10, null, null, false);
        AlertQuery done = new AlertQuery(monitor(1), null, null, 10, null, null, true);
        assertThat(store().list(open).items()).extracting(Alert::id).containsExactly(String.format("alr_%s_%03d", run, 2));
        assertThat(store().list(done).items()).extracting(Alert::id).containsExactly(a.id());
    }

    @Test
    void secondAlertWithTheSameMonitorAndKeyIsRefusedAndTheFirstKept() {
        Alert a = alert(1, monitor(1), "ins_1", START);
        store().create(a);
        Alert same = new Alert("alr_other", a.monitorId(), "M", a.key(), MonitorTriggerType.EXECUTION_STUCK, "other",
                null, null, null, null, null, START.plusSeconds(5), null, null, Map.of(), List.of(), null);

        assertThat(store().create(same)).isFalse();
        assertThat(store().get(a.monitorId(), a.key())).contains(a);
        assertThat(store().create(alert(1, monitor(2), "ins_1", START))).as("another monitor, same key").isTrue();
    }

    @Test
    void deliveriesAreAppendedInOrderAndClearedAtRecorded() {
        Alert a = alert(1, monitor(1), "ins_1", START);
        store().create(a);
        AlertDelivery failed = new AlertDelivery(0, "https://a.test", 1, START, 503, "answered HTTP 503", false,
                START.plusSeconds(30));
        AlertDelivery ok = new AlertDelivery(0, "https://a.test", 2, START.plusSeconds(30), 200, null, true, null);
        AlertDelivery other = new AlertDelivery(1, "https://b.test", 1, START, null, "not delivered: refused", false, null);

        store().addDelivery(a.monitorId(), a.key(), failed);
        store().addDelivery(a.monitorId(), a.key(), other);
        store().addDelivery(a.monitorId(), a.key(), ok);
        store().cleared(a.monitorId(), a.key(), START.plusSeconds(90));

        Alert read = store().get(a.monitorId(), a.key()).orElseThrow();
        assertThat(read.deliveries()).containsExactly(failed, other, ok);
        assertThat(read.clearedAt()).isEqualTo(START.plusSeconds(90));
    }

    @Test
    void eachDeliveryAttemptIsTakenOnceAndOnlyInOrder() {
        Alert a = alert(1, monitor(1), "ins_1", START);
        store().create(a);

        assertThat(store().claimAttempt(a.monitorId(), a.key(), 0, 2)).isTrue();
        assertThat(store().claimAttempt(a.monitorId(), a.key(), 0, 2)).as("the same attempt again").isFalse();
        assertThat(store().claimAttempt(a.monitorId(), a.key(), 0, 1)).as("an older attempt").isFalse();
        assertThat(store().claimAttempt(a.monitorId(), a.key(), 1, 2)).as("another channel").isTrue();
        assertThat(store().claimAttempt(a.monitorId(), a.key(), 0, 3)).as("the next attempt").isTrue();
        assertThat(store().claimAttempt(a.monitorId(), "nope", 0, 2)).as("no such alert").isFalse();
        assertThat(store().get(a.monitorId(), a.key()).orElseThrow().deliveries()).isEmpty();
    }

    @Test
    void listIsNewestFirstFilteredByMonitorInstanceAndSince() {
        store().create(alert(1, monitor(1), "ins_1", START.minusSeconds(300)));
        store().create(alert(2, monitor(1), "ins_2", START.minusSeconds(200)));
        store().create(alert(3, monitor(2), "ins_1", START.minusSeconds(100)));
        store().create(alert(4, monitor(2), null, START.minusSeconds(50)));

        assertThat(ids(new AlertQuery(null, null, null, 10, null))).containsExactly(4, 3, 2, 1);
        assertThat(ids(new AlertQuery(monitor(1), null, null, 10, null))).containsExactly(2, 1);
        assertThat(ids(new AlertQuery(null, "ins_1", null, 10, null))).containsExactly(3, 1);
        assertThat(ids(new AlertQuery(monitor(2), "ins_1", null, 10, null))).containsExactly(3);
        assertThat(ids(new AlertQuery(null, null, START.minusSeconds(200), 10, null))).containsExactly(4, 3, 2);
        assertThat(ids(new AlertQuery(monitor(1), null, START.minusSeconds(200), 10, null))).containsExactly(2);
    }

    @Test
    void paginationVisitsEveryAlertOnceNewestFirst() {
        for (int n = 1; n <= 7; n++) store().create(alert(n, monitor(n % 2), "ins_1", START.minusSeconds(100 - n)));
        for (AlertQuery q : List.of(new AlertQuery(null, null, null, 3, null), new AlertQuery(null, "ins_1", null, 3, null))) {
            Pages.Walked<Alert> walked = Pages.walk(cursor -> store().list(new AlertQuery(q.monitorId(), q.instanceId(), null, 3, cursor)));
            assertThat(walked.items().stream().map(a -> n(a)).toList()).containsExactly(7, 6, 5, 4, 3, 2, 1);
            assertThat(walked.pages()).isEqualTo(3);
        }
    }

    @Test
    void manyAlertsOfOneMonitorAreListedOnceEachNewestFirstInEveryListingAndWindow() {
        List<Integer> all = new java.util.ArrayList<>();
        for (int n = 1; n <= 40; n++) {
            // two alerts a second, some in the same millisecond: the id orders those
            store().create(alert(n, monitor(1), n % 3 == 0 ? null : "ins_1", START.minusSeconds(100).plusMillis(500L * (n / 2))));
            all.add(0, n);
        }
        List<Integer> ofInstance = all.stream().filter(n -> n % 3 != 0).toList();
        Instant since = START.minusSeconds(100).plusMillis(500L * 10);
        List<Integer> recent = all.stream().filter(n -> n / 2 >= 10).toList();
        for (int limit : List.of(5, 7, 100)) {
            assertThat(walk(new AlertQuery(null, null, null, limit, null))).as("all, %d a page", limit).containsExactlyElementsOf(all);
            assertThat(walk(new AlertQuery(monitor(1), null, null, limit, null))).as("the monitor's").containsExactlyElementsOf(all);
            assertThat(walk(new AlertQuery(null, "ins_1", null, limit, null))).as("the instance's").containsExactlyElementsOf(ofInstance);
            assertThat(walk(new AlertQuery(monitor(1), null, since, limit, null))).as("since").containsExactlyElementsOf(recent);
            assertThat(walk(new AlertQuery(null, null, since, limit, null))).as("all since").containsExactlyElementsOf(recent);
        }
    }

    private List<Integer> walk(AlertQuery q) {
        Pages.Walked<Alert> walked = Pages.walk(cursor -> store().list(new AlertQuery(q.monitorId(), q.instanceId(), q.since(),
                q.limit(), cursor)));
        return walked.items().stream().map(AlertStoreContract::n).toList();
    }

    @Test
    void expiredAlertsAreNeverReturned() {
        Alert a = alert(1, monitor(1), "ins_1", START);
        store().create(a);

        clock.set(a.expiresAt());

        assertThat(store().get(a.monitorId(), a.key())).isEmpty();
        assertThat(store().list(new AlertQuery(null, null, null, 10, null)).items()).isEmpty();
    }

    @Test
    void cursorThatIsNotOursIsRejected() {
        assertThatThrownBy(() -> store().list(new AlertQuery(null, null, null, 10, "garbage!")))
                .isInstanceOf(ValidationException.class);
    }

    private List<Integer> ids(AlertQuery q) {
        return store().list(q).items().stream().map(AlertStoreContract::n).toList();
    }

    private static int n(Alert a) {
        return Integer.parseInt(a.id().substring(a.id().lastIndexOf('_') + 1));
    }

    @Test
    void deleteForInstanceDeletesItsAlertsExceptTheKeptTriggers() {
        Alert failed = alert(1, monitor(1), "ins_" + run, START);
        Alert a = alert(2, monitor(1), "ins_" + run, START.plusSeconds(1));
        Alert removed = new Alert("alr_" + run + "_rm", monitor(2), "Monitor", "REMOVED#ins_" + run,
                MonitorTriggerType.INSTANCE_REMOVED, "Instance removed: Acme", "ins_" + run, "cus_1", null, null, null,
                START.plusSeconds(2), null, null, Map.of(), List.of(), START.plus(Duration.ofDays(14)));
        Alert other = alert(3, monitor(1), "ins_other_" + run, START);
        for (Alert x : List.of(failed, a, removed, other)) store().create(x);

        int deleted = store().deleteForInstance("ins_" + run, java.util.Set.of(MonitorTriggerType.INSTANCE_REMOVED));

        assertThat(deleted).isEqualTo(2);
        assertThat(store().get(failed.monitorId(), failed.key())).isEmpty();
        assertThat(store().get(a.monitorId(), a.key())).isEmpty();
        assertThat(store().get(removed.monitorId(), removed.key())).isPresent();
        assertThat(store().get(other.monitorId(), other.key())).isPresent();
        assertThat(store().deleteForInstance("ins_" + run, java.util.Set.of(MonitorTriggerType.INSTANCE_REMOVED))).isZero();
    }
}
