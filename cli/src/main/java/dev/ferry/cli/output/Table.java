package dev.ferry.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Aligned columns for people: a header row, two spaces between columns, "-" for no value. */
public final class Table {

    private static final String NONE = "-";

    private Table() {}

    public static String render(List<Column> columns, List<JsonNode> items) {
        List<String[]> rows = new ArrayList<>();
        String[] header = columns.stream().map(Column::header).toArray(String[]::new);
        rows.add(header);
        for (JsonNode item : items) {
            String[] row = new String[columns.size()];
            for (int i = 0; i < row.length; i++) {
                Column c = columns.get(i);
                String v = Cells.truncate(Cells.oneLine(c.display().apply(item)), c.maxWidth());
                row[i] = v == null || v.isEmpty() ? NONE : v;
            }
            rows.add(row);
        }
        return align(rows);
    }

    /** Left-aligns rows of cells; the last column is not padded. */
    public static String align(List<String[]> rows) {
        int n = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] widths = new int[n];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) {
                    line.append(" ".repeat(widths[i] - r[i].length() + 2));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
