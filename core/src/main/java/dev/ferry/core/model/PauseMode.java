package dev.ferry.core.model;

/** What a paused instance does with webhooks: refuse them with 503, or accept and hold them. */
public enum PauseMode { REJECT, HOLD }
