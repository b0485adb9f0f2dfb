package dev.ferry.template;

/** The template cannot be read, resolved or provisioned locally; the message says where and why. */
public final class TemplateException extends RuntimeException {
    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
