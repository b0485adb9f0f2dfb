package dev.ferry.core.model;

/**
 * Why an execution or step failed, and whether trying again may help. The message is at most
 * {@link #MAX_MESSAGE} characters: a longer one (a {@code fail} step's expression, an exception
 * quoting a large value) is cut, with a note saying how long it was, so an error always fits the
 * execution's item, the monitor event and an alert.
 */
public record ExecutionError(String message, String step, boolean retryable) {
    /** The longest error message kept, in characters. */
    public static final int MAX_MESSAGE = 8_192;

    public ExecutionError {
        message = cut(message);
    }

    static String cut(String message) {
        if (message == null || message.length() <= MAX_MESSAGE) return message;
        String note = "…[cut: " + message.length() + " characters]";
        int keep = MAX_MESSAGE - note.length();
        if (Character.isHighSurrogate(message.charAt(keep - 1))) keep--; // never half a character
        return message.substring(0, keep) + note;
    }
}
