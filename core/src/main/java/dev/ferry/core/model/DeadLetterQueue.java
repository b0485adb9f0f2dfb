package dev.ferry.core.model;

import java.util.Arrays;
import java.util.Optional;

/**
 * The dead-letter queues, by the names the API and CLI use: those of the four SQS queues, and
 * {@code schedule}, the on-failure destination of ScheduledTriggerFunction's asynchronous
 * invocations (its source is the function, not a queue).
 */
public enum DeadLetterQueue {
    EXECUTION("execution"),
    RETRY("retry"),
    MONITOR("monitor"),
    REPLAY_JOB("replay-job"),
    SCHEDULE("schedule");

    private final String wireName;

    DeadLetterQueue(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<DeadLetterQueue> of(String wireName) {
        return Arrays.stream(values()).filter(q -> q.wireName.equals(wireName)).findFirst();
    }

    /** "execution, retry, monitor, replay-job, schedule" */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(DeadLetterQueue::wireName).toList());
    }
}
