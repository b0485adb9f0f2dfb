package dev.ferry.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.cli.http.Listing;
import java.io.PrintStream;
import java.util.List;

/**
 * Prints results in the chosen {@link Format}: tables for people (hints on stderr), the API's JSON
 * pretty-printed, or CSV for spreadsheets and scripts.
 */
public final class Printer {

    private final PrintStream out;
    private final PrintStream err;
    private final Format format;

    public Printer(PrintStream out, PrintStream err, Format format) {
        this.out = out;
        this.err = err;
        this.format = format;
    }

    public Format format() {
        return format;
    }

    public boolean table() {
        return format == Format.table;
    }

    /** A list answer. JSON is the API's page, or one merged page when every page was fetched. */
    public void list(Listing listing, View view) {
        switch (format) {
            case json -> json(listing.followedAll() ? merged(listing.items()) : listing.firstPage());
            case csv -> out.print(Csv.render(view.columns(), listing.items()));
            case table -> {
                if (listing.items().isEmpty()) {
                    err.println("No " + view.noun() + " found.");
                } else {
                    out.print(Table.render(view.columns(), listing.items()));
                }
                if (listing.hasMore() && !listing.followedAll()) {
                    err.println("More " + view.noun() + " exist: use --all to fetch every page.");
                }
            }
        }
    }

    /** One resource: a one-row table, its JSON, or a one-row CSV. */
    public void one(JsonNode node, View view) {
        switch (format) {
            case json -> json(node);
            case csv -> out.print(Csv.render(view.columns(), List.of(node)));
            case table -> out.print(Table.render(view.columns(), List.of(node)));
        }
    }

    public void json(JsonNode node) {
        out.println(Json.pretty(node));
    }

    /** A line for people, printed in table mode only (JSON and CSV stay machine-readable). */
    public void note(String line) {
        if (table()) {
            out.println(line);
        }
    }

    private static ObjectNode merged(List<JsonNode> items) {
        ObjectNode page = Json.object();
        ArrayNode array = page.putArray("items");
        items.forEach(array::add);
        page.putNull("nextCursor");
        return page;
    }
}
