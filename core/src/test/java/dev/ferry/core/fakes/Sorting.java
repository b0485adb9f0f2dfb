package dev.ferry.core.fakes;

import dev.ferry.core.model.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/** Oldest-first paging over a sorted map, shared by the fakes. */
final class Sorting {
    private Sorting() {}

    /** A key that sorts by time (to the nanosecond), then id. */
    static String ascendingKey(Instant time, String id) {
        Instant t = time == null ? Instant.EPOCH : time;
        return String.format("%019d%09d#%s", t.getEpochSecond(), t.getNano(), id);
    }

    static <T> Page<T> page(NavigableMap<String, T> sorted, int limit, String cursor) {
        int size = FakeCursors.pageSize(limit);
        String after = FakeCursors.decode(cursor);
        NavigableMap<String, T> rest = after == null ? sorted : sorted.tailMap(after, false);
        List<T> items = new ArrayList<>();
        String lastKey = null;
        boolean more = false;
        for (Map.Entry<String, T> e : rest.entrySet()) {
            if (items.size() == size) {
                more = true;
                break;
            }
            items.add(e.getValue());
            lastKey = e.getKey();
        }
        return new Page<>(items, more ? FakeCursors.encode(lastKey) : null);
    }
}
