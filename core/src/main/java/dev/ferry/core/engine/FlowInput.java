package dev.ferry.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one run of a flow sees: {@code trigger} is {@code {body, headers, query, method, contentType}}
 * (body already parsed: JSON when it parses, else the text), {@code config} the instance's config
 * variables, {@code execution} is {@code {id, attempt, trigger}}, and {@code secretValues} the values
 * of secret config variables, which never appear in results or logs.
 */
public record FlowInput(JsonNode trigger, Map<String, String> config, JsonNode execution, Set<String> secretValues) {
    public FlowInput {
        Map<String, String> c = new LinkedHashMap<>();
        if (config != null) config.forEach((k, v) -> { if (k != null && v != null) c.put(k, v); });
        config = java.util.Collections.unmodifiableMap(c);
        secretValues = secretValues == null ? Set.of()
                : secretValues.stream().filter(Objects::nonNull).collect(Collectors.toUnmodifiableSet());
    }
}
