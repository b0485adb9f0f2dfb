package dev.ferry.core.model;

/** A bulk replay job dispatches until every match is replayed (COMPLETED) or it is cancelled. */
public enum ReplayJobStatus { RUNNING, COMPLETED, CANCELLED }
