package dev.ferry.core.model;

/** Lifecycle of an execution: QUEUED or HELD, then RUNNING, then one terminal state. */
public enum ExecutionStatus {
    QUEUED, HELD, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
