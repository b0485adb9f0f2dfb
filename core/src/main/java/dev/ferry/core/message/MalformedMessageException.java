package dev.ferry.core.message;

/** A queue message body that is not one of its queue's messages (or a message built with a missing field). */
public final class MalformedMessageException extends IllegalArgumentException {
    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
