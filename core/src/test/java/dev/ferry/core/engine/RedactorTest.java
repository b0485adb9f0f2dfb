package dev.ferry.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.json.Json;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
    @Test
    void replacesEveryOccurrence() {
        Redactor r = new Redactor(List.of("s3cr3t"));
        assertThat(r.redact("Bearer s3cr3t and s3cr3t")).isEqualTo("Bearer ******** and ********");
    }

    @Test
    void longestSecretWinsWhenOneContainsAnother() {
        Redactor r = new Redactor(List.of("abc", "abcdef"));
        assertThat(r.redact("xabcdefx abc")).isEqualTo("x********x ********");
    }

    @Test
    void ignoresEmptyAndNullSecrets() {
        Redactor r = new Redactor(Arrays.asList("", null));
        assertThat(r.isEmpty()).isTrue();
        assertThat(r.redact("anything")).isEqualTo("anything");
    }

    @Test
    void redactsJsonDeeplyIncludingKeysAndNumbers() {
        Redactor r = new Redactor(List.of("tok", "12345"));
        JsonNode in = Json.tree("""
                {"headers": {"authorization": "Bearer tok"}, "tok": 1, "list": ["a", "tok"], "pin": 12345, "n": 7}
                """);
        assertThat(r.redact(in)).isEqualTo(Json.tree("""
                {"headers": {"authorization": "Bearer ********"}, "********": 1, "list": ["a", "********"],
                 "pin": "********", "n": 7}
                """));
        assertThat(in.get("headers").get("authorization").textValue()).isEqualTo("Bearer tok");
    }

    @Test
    void returnsTheSameNodeWhenNothingMatches() {
        Redactor r = new Redactor(List.of("zzz"));
        JsonNode in = Json.tree("{\"a\": [\"b\"]}");
        assertThat(r.redact(in)).isSameAs(in);
    }
}
