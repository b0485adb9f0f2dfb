package dev.ferry.infra.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ferry.core.definition.IntegrationDefinition;
import dev.ferry.core.json.Json;

/**
 * How a definition is kept in a version item: JSON text of the record as Jackson writes it.
 * TODO: switch to DefinitionParser.toJson/parse once it lands in core (one place to change).
 * Public for SnapStart priming, which runs both directions in memory.
 */
public final class DefinitionJson {
    private DefinitionJson() {}

    public static String write(IntegrationDefinition definition) {
        return Json.write(definition);
    }

    public static IntegrationDefinition read(String json) {
        try {
            return Json.MAPPER.readValue(json, IntegrationDefinition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored integration definition does not parse", e);
        }
    }
}
