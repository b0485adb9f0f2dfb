package dev.ferry.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A list answer: the first page as the API sent it, the items gathered (one page, or all of them
 * when cursors were followed), and the cursor of the page after the last one fetched.
 */
public record Listing(JsonNode firstPage, List<JsonNode> items, String nextCursor, boolean followedAll) {

    public Listing {
        items = List.copyOf(items);
    }

    public boolean hasMore() {
        return nextCursor != null;
    }
}
