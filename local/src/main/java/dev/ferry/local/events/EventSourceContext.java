package dev.ferry.local.events;

import dev.ferry.infra.AwsClients;
import dev.ferry.local.lambda.FunctionRegistry;
import java.util.function.Consumer;

/**
 * What an event source may use: clients for the emulator, the functions to invoke, and the
 * stack's console.
 */
public record EventSourceContext(AwsClients aws, FunctionRegistry functions, Consumer<String> log) {}
