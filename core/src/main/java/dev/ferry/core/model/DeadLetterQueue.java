package dev.ferry.core.model;

import java.util.Arrays;
import java.util.Optional;

/** The queues with a dead-letter queue, by the names the API and CLI use. */
public enum DeadLetterQueue {
    EXECUTION("execution"),
    RETRY("retry"),
    MONITOR("monitor"),
    REPLAY_JOB("replay-job");

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

    /** "execution, retry, monitor, replay-job" */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(DeadLetterQueue::wireName).toList());
    }
}
