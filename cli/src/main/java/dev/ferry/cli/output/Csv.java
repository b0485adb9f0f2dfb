package dev.ferry.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** RFC 4180 CSV: a header of field paths, CRLF line ends, fields quoted when they need it. */
public final class Csv {

    private Csv() {}

    public static String render(List<Column> columns, List<JsonNode> items) {
        StringBuilder sb = new StringBuilder();
        row(sb, columns.stream().map(Column::csvName).toList());
        for (JsonNode item : items) {
            row(sb, columns.stream().map(c -> c.raw().apply(item)).toList());
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(quote(fields.get(i)));
        }
        sb.append("\r\n");
    }

    /** Quotes a field containing a comma, double quote, CR or LF, doubling inner quotes. */
    public static String quote(String field) {
        if (field == null) {
            return "";
        }
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\r') < 0 && field.indexOf('\n') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
