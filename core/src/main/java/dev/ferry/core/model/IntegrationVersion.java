package dev.ferry.core.model;

import dev.ferry.core.definition.IntegrationDefinition;
import java.time.Instant;

/** One immutable version of an integration's definition. */
public record IntegrationVersion(String integrationId, int version, IntegrationDefinition definition, Instant createdAt) {}
