package dev.ferry.local.events;

/**
 * Something that invokes functions by itself, as an AWS event source mapping or a scheduler does:
 * an SQS queue poller ({@link SqsEventSource}); later the template's {@code ScheduleV2} events and
 * the EventBridge Scheduler schedules Ferry creates at run time. The local stack starts each once
 * everything it needs exists, and closes them first on shutdown.
 */
public interface EventSource extends AutoCloseable {
    /** One line for the start-up summary, e.g. {@code SQS ferry-ExecutionQueue → FlowExecutionFunction (batch 10)}. */
    String describe();

    /** Starts delivering events (on the source's own threads); returns at once. */
    void start();

    /** Stops delivering, lets an invocation in progress finish for a short while, and returns. */
    @Override
    void close();
}
