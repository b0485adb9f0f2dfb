package dev.ferry.core.port;

import dev.ferry.core.model.DeadLetterQueue;
import dev.ferry.core.model.Execution;

/**
 * What the platform team watches, counted as it happens: in AWS each call writes one line in
 * CloudWatch's embedded metric format (the infra module's {@code EmfMetrics}), from which CloudWatch
 * makes the metrics of the dashboard and alarms in template.yaml. An implementation never throws:
 * recording never fails the operation that records.
 */
public interface Metrics {
    /**
     * An execution ended (a test run is not counted): one of Executions by status and trigger, its
     * duration, and a scheduled retry when it has one ({@link Execution#nextRetryAt()}).
     */
    void executionEnded(Execution execution);

    /** {@code count} replays were created: one by {@code POST /executions/{id}/replay} ({@code bulk} false), or a bulk job's chunk. */
    void replaysCreated(int count, boolean bulk);

    /** An alert's delivery to a channel ended: delivered, or failed with no attempt left. */
    void alertDelivery(String channelType, boolean delivered);

    /** A queue message failed on its last receive, so SQS moves it to the queue's dead-letter queue. */
    void deadLettered(DeadLetterQueue queue);

    /** Records nothing. */
    Metrics NONE = new Metrics() {
        @Override
        public void executionEnded(Execution execution) {}

        @Override
        public void replaysCreated(int count, boolean bulk) {}

        @Override
        public void alertDelivery(String channelType, boolean delivered) {}

        @Override
        public void deadLettered(DeadLetterQueue queue) {}
    };
}
