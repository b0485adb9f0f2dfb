package dev.ferry.core.definition;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One step: its unique name, its type ({@code http}, {@code transform}, {@code log}, {@code fail},
 * {@code sleep}, {@code code}) and the step's own fields as written (expressions unevaluated).
 */
public record StepDef(String name, String type, ObjectNode spec) {}
