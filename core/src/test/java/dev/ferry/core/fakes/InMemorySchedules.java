package dev.ferry.core.fakes;

import dev.ferry.core.error.StoreException;
import dev.ferry.core.model.ScheduleSpec;
import dev.ferry.core.port.Schedules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Schedules in memory, with the adapter's rules (create and update both end in exactly the given
 * state; delete of a missing one is a no-op), counting the calls made. Thread-safe.
 */
public final class InMemorySchedules implements Schedules {
    private final Map<String, ScheduleSpec> schedules = new LinkedHashMap<>();
    private final List<String> calls = new ArrayList<>();
    private Predicate<String> failing = call -> false;

    /** From now on, calls (e.g. {@code "create flc_2"}) matching {@code which} throw a StoreException, as an unreachable Scheduler would. */
    public synchronized void failWhen(Predicate<String> which) {
        failing = which;
    }

    private void record(String call) {
        if (failing.test(call)) throw new StoreException("EventBridge Scheduler " + call + " failed: unreachable", null);
        calls.add(call);
    }

    @Override
    public synchronized void create(ScheduleSpec spec) {
        record("create " + spec.flowConfigId());
        schedules.put(spec.flowConfigId(), spec);
    }

    @Override
    public synchronized void update(ScheduleSpec spec) {
        record("update " + spec.flowConfigId());
        schedules.put(spec.flowConfigId(), spec);
    }

    @Override
    public synchronized void delete(String flowConfigId) {
        record("delete " + flowConfigId);
        schedules.remove(flowConfigId);
    }

    @Override
    public synchronized Optional<ScheduleSpec> get(String flowConfigId) {
        return Optional.ofNullable(schedules.get(flowConfigId));
    }

    /** Every schedule, in creation order. */
    public synchronized List<ScheduleSpec> all() {
        return List.copyOf(schedules.values());
    }

    /** The calls so far, e.g. {@code update flc_1}, oldest first. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized void resetCalls() {
        calls.clear();
    }
}
