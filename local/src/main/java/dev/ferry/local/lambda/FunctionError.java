package dev.ferry.local.lambda;

/**
 * An invocation ended in an exception: what Lambda reports as {@code X-Amz-Function-Error:
 * Unhandled} with {@code {"errorMessage", "errorType", "stackTrace"}}.
 */
public final class FunctionError extends RuntimeException {
    private final String functionName;

    public FunctionError(String functionName, Throwable cause) {
        super(cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage(), cause);
        this.functionName = functionName;
    }

    public String functionName() {
        return functionName;
    }

    public String errorType() {
        return getCause().getClass().getName();
    }

    public String errorMessage() {
        return getMessage();
    }
}
