package dev.ferry.core.model;

import java.time.Instant;

/** A filter over alerts, newest first: by monitor and/or instance, fired at or after {@code since}. */
public record AlertQuery(String monitorId, String instanceId, Instant since, int limit, String cursor) {}
