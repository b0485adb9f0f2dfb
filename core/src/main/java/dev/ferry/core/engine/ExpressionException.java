package dev.ferry.core.engine;

/** A JSONata expression could not be compiled or evaluated; names the expression and the reason. */
public class ExpressionException extends RuntimeException {
    private final String expression;
    private final String reason;

    public ExpressionException(String expression, String reason) {
        super("expression " + expression + " failed: " + reason);
        this.expression = expression;
        this.reason = reason;
    }

    public String expression() {
        return expression;
    }

    public String reason() {
        return reason;
    }
}
