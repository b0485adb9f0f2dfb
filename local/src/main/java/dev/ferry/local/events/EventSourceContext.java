package dev.ferry.local.events;

import dev.ferry.infra.AwsClients;
import dev.ferry.local.lambda.FunctionRegistry;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What an event source may use: the stack's own clients for the emulator (as the AWS service it
 * plays), the functions to invoke, the stack's console, and {@code functionClients}: the clients
 * that act with a function's role where AWS does (an SQS event source mapping polls with it, a
 * failed asynchronous invocation reaches its destination with it).
 */
public record EventSourceContext(AwsClients aws, FunctionRegistry functions, Consumer<String> log,
                                 Function<String, AwsClients> functionClients) {

    /** A context whose function clients are the stack's own (no IAM enforcement). */
    public EventSourceContext(AwsClients aws, FunctionRegistry functions, Consumer<String> log) {
        this(aws, functions, log, f -> aws);
    }
}
