package dev.ferry.core.model;

import java.time.Instant;

/** An integration: a name and a series of immutable definition versions (1, 2, …). */
public record Integration(String id, String name, int latestVersion, Instant createdAt, Instant updatedAt) {}
