package dev.ferry.core.port;

import dev.ferry.core.model.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Follows a listing's cursors from the first page to the last (at most 10 pages), for the contract tests. */
public final class Pages {
    private Pages() {}

    /** Every item of every page, in order, and how many pages it took. */
    public record Walked<T>(List<T> items, int pages) {}

    public static <T> Walked<T> walk(Function<String, Page<T>> pageAt) {
        List<T> items = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<T> page = pageAt.apply(cursor);
            items.addAll(page.items());
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null && pages < 10);
        return new Walked<>(items, pages);
    }
}
