package dev.ferry.core.model;

/** What started an execution. */
public enum Trigger { WEBHOOK, SCHEDULE, TEST, RETRY, REPLAY }
