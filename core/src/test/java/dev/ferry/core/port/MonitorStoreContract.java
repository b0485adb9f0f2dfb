package dev.ferry.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.error.ConflictException;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.model.AlertChannel;
import dev.ferry.core.model.Monitor;
import dev.ferry.core.model.MonitorEpisode;
import dev.ferry.core.model.MonitorScope;
import dev.ferry.core.model.MonitorTrigger;
import dev.ferry.core.model.MonitorTriggerType;
import dev.ferry.core.model.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rules every {@link MonitorStore} keeps. Each test starts with an empty store. */
public abstract class MonitorStoreContract {
    protected static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    protected abstract MonitorStore store();

    private String id(int n) {
        return String.format("mon_%s_%03d", run, n);
    }

    private Monitor monitor(int n, MonitorScope scope, MonitorTrigger... triggers) {
        return new Monitor(id(n), "Monitor " + n, scope, List.of(triggers),
                List.of(new AlertChannel("webhook", "https://hooks.example.test/" + n, Map.of("X-Team", "ops"),
                        "{\"text\":\"$SUBJECT\"}", "sig-secret")),
                T0.plus(Duration.ofSeconds(n)));
    }

    private Monitor failed(int n, MonitorScope scope) {
        return monitor(n, scope, MonitorTrigger.of(MonitorTriggerType.EXECUTION_FAILED));
    }

    @Test
    void createdMonitorReadsBackWithEveryTriggerParameterAndChannel() {
        Monitor m = monitor(1, MonitorScope.flowConfig("ins_" + run, "flc_" + run),
                MonitorTrigger.durationExceeded(300), MonitorTrigger.overdue(60),
                MonitorTrigger.failureRate(12.5, 30, 4), MonitorTrigger.logLevel(Severity.WARN),
                MonitorTrigger.of(MonitorTriggerType.INSTANCE_REMOVED));

        store().create(m);

        assertThat(store().get(m.id())).contains(m);
    }

    @Test
    void everyChannelTypeReadsBackWithItsFields() {
        Monitor m = new Monitor(id(1), "Channels", MonitorScope.EVERYTHING,
                List.of(MonitorTrigger.of(MonitorTriggerType.EXECUTION_FAILED)),
                List.of(new AlertChannel("webhook", "https://hooks.example.test/signed", Map.of(), null, "sig-secret",
                                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", null),
                        AlertChannel.slack("https://hooks.slack.example.test/services/T0/B0/XYZ", ":x: $SUBJECT"),
                        AlertChannel.email(List.of("ops@example.test", "oncall@example.test"), null)),
                T0);

        store().create(m);

        assertThat(store().get(m.id())).contains(m);
    }

    @Test
    void creatingAnExistingIdConflicts() {
        store().create(failed(1, MonitorScope.EVERYTHING));
        assertThatThrownBy(() -> store().create(failed(1, MonitorScope.customer("cus_x"))))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void unknownMonitorIsEmpty() {
        assertThat(store().get("mon_nobody_" + run)).isEmpty();
    }

    @Test
    void listIsOldestFirstAcrossPages() {
        List<Monitor> created = new ArrayList<>();
        for (int n : new int[] {4, 1, 5, 3, 2}) {
            Monitor m = failed(n, n % 2 == 0 ? MonitorScope.instance("ins_" + n) : MonitorScope.EVERYTHING);
            store().create(m);
            created.add(m);
        }
        created.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
        Pages.Walked<Monitor> walked = Pages.walk(cursor -> store().list(2, cursor));
        assertThat(walked.items()).containsExactlyElementsOf(created);
        assertThat(walked.pages()).isEqualTo(3);
    }

    @Test
    void listCursorThatIsNotOursIsRejected() {
        assertThatThrownBy(() -> store().list(10, "garbage!")).isInstanceOf(ValidationException.class);
    }

    @Test
    void inScopeReturnsTheInstancesTheCustomersAndTheGlobalMonitorsOnly() {
        String ins = "ins_a_" + run, other = "ins_b_" + run, cus = "cus_a_" + run;
        store().create(failed(1, MonitorScope.instance(ins)));
        store().create(failed(2, MonitorScope.flowConfig(ins, "flc_1")));
        store().create(failed(3, MonitorScope.customer(cus)));
        store().create(failed(4, MonitorScope.EVERYTHING));
        store().create(failed(5, MonitorScope.instance(other)));
        store().create(failed(6, MonitorScope.customer("cus_b_" + run)));

        assertThat(store().inScope(ins, cus)).extracting(Monitor::id)
                .containsExactlyInAnyOrder(id(1), id(2), id(3), id(4));
        assertThat(store().inScope(other, "cus_c_" + run)).extracting(Monitor::id)
                .containsExactlyInAnyOrder(id(5), id(4));
        // The eventually consistent read answers the same once the writes have settled (about a second).
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<String> eventually;
        do {
            eventually = store().inScopeEventually(ins, cus).stream().map(Monitor::id).toList();
        } while (eventually.size() < 4 && System.nanoTime() < deadline);
        assertThat(eventually).containsExactlyInAnyOrder(id(1), id(2), id(3), id(4));
    }

    @Test
    void sweptHasTheMonitorsWithATimeBasedTrigger() {
        store().create(failed(1, MonitorScope.EVERYTHING));
        store().create(monitor(2, MonitorScope.instance("ins_x"), MonitorTrigger.overdue(5)));
        store().create(monitor(3, MonitorScope.EVERYTHING, MonitorTrigger.of(MonitorTriggerType.EXECUTION_FAILED),
                MonitorTrigger.failureRate(50, 10, null)));

        assertThat(store().swept()).extracting(Monitor::id).containsExactlyInAnyOrder(id(2), id(3));
    }

    @Test
    void anUpdateMovesTheMonitorToItsNewScopeAndSweepInOneWrite() {
        String ins = "ins_u_" + run, cus = "cus_u_" + run;
        Monitor m = failed(1, MonitorScope.instance(ins));
        store().create(m);
        Monitor changed = new Monitor(m.id(), "Renamed", MonitorScope.customer(cus),
                List.of(MonitorTrigger.overdue(5)), List.of(), m.createdAt(), null, T0.plus(Duration.ofHours(2)), T0.plusSeconds(60));

        store().update(changed);

        assertThat(store().get(m.id())).contains(changed);
        assertThat(store().inScope(ins, "cus_other")).extracting(Monitor::id).doesNotContain(m.id());
        assertThat(store().inScope("ins_other", cus)).containsExactly(changed);
        assertThat(store().swept()).containsExactly(changed);
        assertThat(store().list(10, null).items()).containsExactly(changed);

        Monitor back = new Monitor(m.id(), "Back", MonitorScope.instance(ins), m.triggers(), m.channels(), m.createdAt(), null,
                null, T0.plusSeconds(120));
        store().update(back);
        assertThat(store().swept()).isEmpty();
        assertThat(store().inScope(ins, "cus_other")).containsExactly(back);
        assertThatThrownBy(() -> store().update(failed(9, MonitorScope.EVERYTHING))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteRemovesTheMonitorFromEveryLookupWithItsState() {
        String ins = "ins_" + run;
        Monitor m = monitor(1, MonitorScope.instance(ins), MonitorTrigger.overdue(5), MonitorTrigger.failureRate(50, 10, null));
        store().create(m);
        store().openEpisode(m.id(), "OVERDUE#" + ins, T0);
        store().countOutcome(m.id(), T0, true, T0.plus(Duration.ofDays(1)));

        store().delete(m.id());

        assertThat(store().get(m.id())).isEmpty();
        assertThat(store().inScope(ins, "cus_x")).isEmpty();
        assertThat(store().swept()).isEmpty();
        assertThat(store().list(10, null).items()).isEmpty();
        assertThat(store().episodes(m.id())).isEmpty();
        assertThat(store().outcomes(m.id(), T0, T0).total()).isZero();
        assertThatThrownBy(() -> store().delete(m.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deleteForInstanceRemovesOnlyThatInstancesMonitors() {
        String ins = "ins_" + run;
        store().create(failed(1, MonitorScope.instance(ins)));
        store().create(failed(2, MonitorScope.flowConfig(ins, "flc_1")));
        store().create(failed(3, MonitorScope.EVERYTHING));

        assertThat(store().deleteForInstance(ins)).containsExactlyInAnyOrder(id(1), id(2));
        assertThat(store().inScope(ins, "cus")).extracting(Monitor::id).containsExactly(id(3));
    }

    @Test
    void anEpisodeOpensOnceAndClosesOnce() {
        String m = id(1);
        MonitorEpisode opened = store().openEpisode(m, "OVERDUE#ins_1", T0);
        MonitorEpisode again = store().openEpisode(m, "OVERDUE#ins_1", T0.plusSeconds(60));

        assertThat(opened).isEqualTo(new MonitorEpisode("OVERDUE#ins_1", T0, false));
        assertThat(again).isEqualTo(opened);

        store().episodeAlerted(m, "OVERDUE#ins_1");
        assertThat(store().episodes(m)).containsExactly(new MonitorEpisode("OVERDUE#ins_1", T0, true));

        assertThat(store().closeEpisode(m, "OVERDUE#ins_1")).contains(new MonitorEpisode("OVERDUE#ins_1", T0, true));
        assertThat(store().closeEpisode(m, "OVERDUE#ins_1")).isEmpty();
        assertThat(store().episodes(m)).isEmpty();
    }

    @Test
    void episodesAreKeptPerMonitorAndSubject() {
        store().openEpisode(id(1), "A", T0);
        store().openEpisode(id(1), "B", T0.plusSeconds(1));
        store().openEpisode(id(2), "A", T0.plusSeconds(2));

        assertThat(store().episodes(id(1))).extracting(MonitorEpisode::subject).containsExactlyInAnyOrder("A", "B");
        assertThat(store().episodes(id(2))).containsExactly(new MonitorEpisode("A", T0.plusSeconds(2), false));
    }

    @Test
    void outcomesAddUpOverTheMinuteBucketsOfTheWindow() {
        String m = id(1);
        Instant keep = T0.plus(Duration.ofDays(1));
        store().countOutcome(m, T0.minus(Duration.ofMinutes(10)), true, keep);
        store().countOutcome(m, T0.minus(Duration.ofMinutes(2)), false, keep);
        store().countOutcome(m, T0.minus(Duration.ofMinutes(2)), true, keep);
        store().countOutcome(m, T0, false, keep);
        store().countOutcome(id(2), T0, true, keep);

        assertThat(store().outcomes(m, T0.minus(Duration.ofMinutes(4)), T0)).isEqualTo(new MonitorStore.Outcomes(3, 1));
        assertThat(store().outcomes(m, T0.minus(Duration.ofMinutes(10)), T0)).isEqualTo(new MonitorStore.Outcomes(4, 2));
        assertThat(store().outcomes(m, T0.plusSeconds(60), T0.plusSeconds(600)).total()).isZero();
    }
}
