package dev.ferry.core.model;

import java.time.Instant;

/**
 * An open episode of a state monitor's condition for one subject (an instance, a flow config,
 * the scope): since when, and whether its alert was raised.
 */
public record MonitorEpisode(String subject, Instant openedAt, boolean alerted) {}
