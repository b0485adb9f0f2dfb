package dev.ferry.core.model;

import java.util.List;
import java.util.function.Function;

/** One page of a listing; {@code nextCursor} is opaque and null on the last page. */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }

    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), nextCursor);
    }

    public static <T> Page<T> empty() {
        return new Page<>(List.of(), null);
    }
}
