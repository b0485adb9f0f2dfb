package dev.ferry.core.definition;

/** A config variable an instance supplies; secret ones are never shown back. */
public record ConfigVariableDef(String key, boolean required, boolean secret, String defaultValue, String description) {}
