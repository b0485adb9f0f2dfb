package dev.ferry.core.message;

/** One queue's wire format: a message to the SQS body it is sent as, and back. */
public interface MessageCodec<M extends QueueMessage> {
    /** The body to send. */
    String write(M message);

    /** The message a body carries; {@link MalformedMessageException} if it is not one of this queue's. */
    M read(String body);
}
