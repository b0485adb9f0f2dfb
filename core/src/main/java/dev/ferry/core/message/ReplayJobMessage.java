package dev.ferry.core.message;

/**
 * What the replay job queue carries to the bulk replay worker: go on with the job (from its
 * checkpoint). On the wire ({@link #CODEC}): {@code {"replayJobId": "<id>"}}, unknown fields ignored.
 */
public record ReplayJobMessage(String replayJobId) implements QueueMessage {
    public static final MessageCodec<ReplayJobMessage> CODEC = new ReplayJobMessageCodec();

    public ReplayJobMessage {
        Fields.requireId(ReplayJobMessageCodec.REPLAY_JOB_ID, replayJobId);
    }

    @Override
    public String summary() {
        return "replayJobId " + replayJobId;
    }
}
