package dev.ferry.core.message;

import dev.ferry.core.json.Json;
import dev.ferry.core.model.DeadLetterQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * A message on one of Ferry's queues. Each queue has one message type and one codec, which the SQS
 * adapter, the in-memory fake and the consuming handler all use:
 *
 * <table>
 *   <caption>queues and their messages</caption>
 *   <tr><th>queue</th><th>type</th><th>codec</th></tr>
 *   <tr><td>execution</td><td>{@link ExecutionMessage}</td><td>{@link ExecutionMessage#CODEC}</td></tr>
 *   <tr><td>retry</td><td>{@link RetryMessage}</td><td>{@link RetryMessage#CODEC}</td></tr>
 *   <tr><td>monitor</td><td>{@link MonitorMessage}</td><td>{@link MonitorMessage#CODEC}</td></tr>
 *   <tr><td>replay job</td><td>{@link ReplayJobMessage}</td><td>{@link ReplayJobMessage#CODEC}</td></tr>
 *   <tr><td>schedule (dead letters only: Lambda's on-failure destination)</td><td>{@link ScheduleTickFailure}</td>
 *       <td>{@link ScheduleTickFailure#CODEC}</td></tr>
 * </table>
 */
public sealed interface QueueMessage permits ExecutionMessage, RetryMessage, MonitorMessage, ReplayJobMessage,
        ScheduleTickFailure {

    /** What the message is about, in a few words (a dead letter's summary), e.g. {@code executionId exe_…}. */
    String summary();

    /** The codec of the queue's messages. */
    static MessageCodec<? extends QueueMessage> codec(DeadLetterQueue queue) {
        return switch (queue) {
            case EXECUTION -> ExecutionMessage.CODEC;
            case RETRY -> RetryMessage.CODEC;
            case MONITOR -> MonitorMessage.CODEC;
            case REPLAY_JOB -> ReplayJobMessage.CODEC;
            case SCHEDULE -> ScheduleTickFailure.CODEC;
        };
    }

    /**
     * The summary of a body found in the queue's dead-letter queue: read with that queue's codec, or,
     * for a body of another queue's kind (sent to the wrong queue by hand), with the codec that reads
     * it; {@code unrecognised message} when none does, {@code not JSON} when it is not JSON.
     */
    static String summarize(DeadLetterQueue queue, String body) {
        try {
            Json.tree(body);
        } catch (RuntimeException notJson) {
            return "not JSON";
        }
        List<DeadLetterQueue> order = new ArrayList<>(List.of(DeadLetterQueue.values()));
        order.remove(queue);
        order.addFirst(queue);
        for (DeadLetterQueue q : order) {
            try {
                return codec(q).read(body).summary();
            } catch (MalformedMessageException notThisKind) {
                // try the next queue's codec
            }
        }
        return "unrecognised message";
    }
}
