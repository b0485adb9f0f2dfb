package dev.ferry.core.error;

/**
 * A sealed secret value that can never be opened: altered after it was sealed, copied to another
 * instance or variable, or of a version this code does not know. Its message names the instance and
 * the variable, never the sealed text or the value. Trying again does not help, so an execution that
 * meets one fails without retry.
 */
public class SecretUnreadableException extends FerryException {
    public SecretUnreadableException(String message) {
        super("secret_unreadable", message);
    }

    public SecretUnreadableException(String message, Throwable cause) {
        super("secret_unreadable", message, cause);
    }
}
