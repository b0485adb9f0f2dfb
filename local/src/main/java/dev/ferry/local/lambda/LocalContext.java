package dev.ferry.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/** The Lambda {@link Context} of one local invocation: name, request id, the time left before the template's Timeout. */
final class LocalContext implements Context {
    private final FunctionSpec spec;
    private final String requestId;
    private final long deadlineNanos;
    private final LambdaLogger logger;

    LocalContext(FunctionSpec spec, String requestId, long startNanos) {
        this.spec = spec;
        this.requestId = requestId;
        this.deadlineNanos = startNanos + spec.timeoutSeconds() * 1_000_000_000L;
        String prefix = "[" + spec.name() + " " + requestId.substring(0, 8) + "] ";
        this.logger = new LambdaLogger() {
            @Override
            public void log(String message) {
                System.err.print(prefix + message + (message.endsWith("\n") ? "" : "\n"));
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }
        };
    }

    @Override public String getAwsRequestId() { return requestId; }
    @Override public String getLogGroupName() { return "/aws/lambda/" + spec.name(); }
    @Override public String getLogStreamName() { return LocalDate.now() + "/[$LATEST]local"; }
    @Override public String getFunctionName() { return spec.name(); }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return FunctionRegistry.arn(spec.name()); }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getMemoryLimitInMB() { return spec.memoryMb(); }
    @Override public LambdaLogger getLogger() { return logger; }

    @Override
    public int getRemainingTimeInMillis() {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000L;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
    }
}
