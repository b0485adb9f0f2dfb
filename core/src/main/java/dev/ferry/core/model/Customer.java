package dev.ferry.core.model;

import java.time.Instant;

/** A customer of the platform team; instances belong to one. */
public record Customer(String id, String name, String externalId, Instant createdAt) {}
