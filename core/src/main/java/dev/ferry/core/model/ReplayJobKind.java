package dev.ferry.core.model;

/** What a bulk job does to each execution its filter matches: replay it, or cancel it. */
public enum ReplayJobKind { REPLAY, CANCEL }
