package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.cli.output.Cells;
import dev.ferry.cli.output.Column;
import dev.ferry.cli.output.Csv;
import dev.ferry.cli.output.Json;
import dev.ferry.cli.output.Table;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputFormatTest {

    @Test
    void csvQuotesOnlyFieldsThatNeedItAndDoublesQuotes() {
        assertThat(Csv.quote("plain")).isEqualTo("plain");
        assertThat(Csv.quote("a,b")).isEqualTo("\"a,b\"");
        assertThat(Csv.quote("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Csv.quote("two\r\nlines")).isEqualTo("\"two\r\nlines\"");
        assertThat(Csv.quote(null)).isEmpty();
    }

    @Test
    void csvWritesNestedValuesAsCompactJson() {
        JsonNode item = Json.parseOrNull("{\"id\":\"x\",\"retry\":{\"maxAttempts\":3}}");

        String csv = Csv.render(List.of(Column.field("ID", "id"), Column.field("RETRY", "retry")), List.of(item));

        assertThat(csv).isEqualTo("id,retry\r\nx,\"{\"\"maxAttempts\"\":3}\"\r\n");
    }

    @Test
    void tableCutsLongTextAndFlattensLineBreaks() {
        JsonNode item = Json.parseOrNull("{\"id\":\"e\",\"error\":{\"message\":\"first line\\nsecond line that is long\"}}");

        String table = Table.render(List.of(Column.field("ID", "id"), Column.longText("ERROR", "error.message", 20)),
                List.of(item));

        assertThat(table).isEqualTo("""
                ID  ERROR
                e   first line second...
                """);
    }

    @Test
    void durationsReadLikePeopleWriteThem() {
        assertThat(Cells.duration("850")).isEqualTo("850ms");
        assertThat(Cells.duration("1234")).isEqualTo("1.2s");
        assertThat(Cells.duration("123000")).isEqualTo("2m03s");
        assertThat(Cells.duration("3720000")).isEqualTo("1h02m");
        assertThat(Cells.duration(null)).isNull();
    }

    @Test
    void prettyJsonHasNoSpaceBeforeColonsAndEmptyContainersStayCompact() {
        assertThat(Json.pretty(Json.parseOrNull("{\"a\":[1,2],\"b\":{},\"c\":[]}"))).isEqualTo("""
                {
                  "a": [
                    1,
                    2
                  ],
                  "b": {},
                  "c": []
                }""");
    }
}
