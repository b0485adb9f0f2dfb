package dev.ferry.core.message;

import dev.ferry.core.json.Json;
import java.util.Map;

/** The replay job queue's wire format (see {@link ReplayJobMessage}). */
final class ReplayJobMessageCodec implements MessageCodec<ReplayJobMessage> {
    static final String REPLAY_JOB_ID = "replayJobId";

    @Override
    public String write(ReplayJobMessage message) {
        return Json.write(Map.of(REPLAY_JOB_ID, message.replayJobId()));
    }

    @Override
    public ReplayJobMessage read(String body) {
        return new ReplayJobMessage(Fields.text(Fields.object(body), REPLAY_JOB_ID));
    }
}
