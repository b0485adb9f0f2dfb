package dev.ferry.core.port;

/** The queue that feeds bulk replay jobs to their worker: one message per job (or continuation). */
public interface ReplayJobQueue {
    /** Asks the worker to go on with the job; durable when this returns. */
    void enqueue(String jobId);
}
