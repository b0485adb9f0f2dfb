package dev.ferry.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.ferry.core.Ferry;
import dev.ferry.core.port.HttpCaller;
import dev.ferry.functions.Wiring;
import dev.ferry.infra.AwsClients;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One function of the template, run in this JVM: its handler class built once (as in a warm
 * container) through its public constructor taking a {@link Ferry} wired from exactly the
 * function's template environment (or its constructor taking an S3 client and the outbound caller,
 * for a handler that uses S3 alone, or its no-arg one, for a handler that uses no AWS service),
 * then invoked bytes in, bytes out.
 *
 * <p>Concurrency: up to {@code concurrency} invocations of the same function run at once on the
 * callers' threads, sharing the one handler instance (Ferry's handlers keep no per-request state);
 * further callers wait for a slot, as if the function had that much reserved concurrency.
 */
public final class LocalFunction implements AutoCloseable {
    @FunctionalInterface
    private interface Handler {
        void handle(InputStream in, OutputStream out, Context context) throws Exception;
    }

    /** How a handler class is built: with a wired Ferry, with an S3 client and the outbound caller, or with nothing. */
    private enum Kind { FERRY, S3, NONE }

    private final FunctionSpec spec;
    private final AwsClients aws;
    private final Handler handler;
    private final Semaphore slots;
    private final int concurrency;
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    private LocalFunction(FunctionSpec spec, AwsClients aws, Handler handler, int concurrency) {
        this.spec = spec;
        this.aws = aws;
        this.handler = handler;
        this.concurrency = concurrency;
        this.slots = new Semaphore(concurrency, true);
    }

    /**
     * Loads the handler class of {@code spec} and builds it with {@code Wiring.fromEnv(environment)};
     * a handler that uses S3 alone (PayloadBucketEmptierFunction) with the function's S3 client and
     * outbound caller, from the same environment; a handler that uses no AWS service and so takes no
     * {@link Ferry} (ConsoleFunction) with its public no-arg constructor, as Lambda builds it. Throws {@link IllegalStateException}
     * saying why when the class cannot serve as a local handler.
     */
    public static LocalFunction load(FunctionSpec spec, int concurrency) {
        return load(spec, concurrency, java.util.List.of());
    }

    /** As {@link #load(FunctionSpec, int)}, with {@code interceptors} on every AWS client of the function. */
    public static LocalFunction load(FunctionSpec spec, int concurrency,
                                     java.util.List<? extends software.amazon.awssdk.core.interceptor.ExecutionInterceptor> interceptors) {
        Class<?> type;
        try {
            type = Class.forName(spec.handlerClass(), true, LocalFunction.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(spec.name() + ": handler class " + spec.handlerClass()
                    + " is not on the classpath (Handler: " + spec.handler() + ")");
        }
        java.lang.reflect.Constructor<?> constructor;
        Kind kind;
        try {
            constructor = type.getConstructor(Ferry.class);
            kind = Kind.FERRY;
        } catch (NoSuchMethodException e) {
            try {
                constructor = type.getConstructor(S3Client.class, HttpCaller.class);
                kind = Kind.S3;
            } catch (NoSuchMethodException notS3) {
                try {
                    constructor = type.getConstructor();
                    kind = Kind.NONE;
                } catch (NoSuchMethodException none) {
                    throw new IllegalStateException(spec.name() + ": " + type.getName()
                            + " has no public constructor taking dev.ferry.core.Ferry, which the local stack needs "
                            + "to give each function its own template environment, nor one taking an S3Client and an "
                            + "HttpCaller (a handler that uses S3 alone), nor a public no-arg one (a handler that uses no "
                            + "AWS service)");
                }
            }
        }
        AwsClients aws = kind == Kind.NONE ? null : AwsClients.fromEnv(spec.environment(), interceptors);
        Object instance;
        try {
            instance = switch (kind) {
                case FERRY -> constructor.newInstance(Wiring.fromEnv(spec.environment(), aws));
                case S3 -> constructor.newInstance(aws.s3(), Wiring.outbound(spec.environment()));
                case NONE -> constructor.newInstance();
            };
        } catch (InvocationTargetException e) {
            if (aws != null) aws.close();
            throw new IllegalStateException(spec.name() + ": constructing " + type.getName() + " failed: "
                    + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (aws != null) aws.close();
            throw new IllegalStateException(spec.name() + ": constructing " + type.getName() + " failed: " + e, e);
        }
        return new LocalFunction(spec, aws, handlerOf(spec, instance), concurrency);
    }

    private static Handler handlerOf(FunctionSpec spec, Object instance) {
        if (instance instanceof RequestStreamHandler h && spec.handlerMethod().equals("handleRequest")) {
            return h::handleRequest;
        }
        try {
            Method m = instance.getClass().getMethod(spec.handlerMethod(), InputStream.class, OutputStream.class,
                    Context.class);
            return (in, out, ctx) -> {
                try {
                    m.invoke(instance, in, out, ctx);
                } catch (InvocationTargetException e) {
                    throw e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
                }
            };
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(spec.name() + ": " + instance.getClass().getName() + " has no public method "
                    + spec.handlerMethod() + "(InputStream, OutputStream, Context); the local stack runs stream handlers only");
        }
    }

    public String name() {
        return spec.name();
    }

    public FunctionSpec spec() {
        return spec;
    }

    public int concurrency() {
        return concurrency;
    }

    public long invocations() {
        return invocations.get();
    }

    public long errors() {
        return errors.get();
    }

    /**
     * Runs one invocation and returns what the handler wrote. Throws {@link FunctionError} when the
     * handler throws (the exception is printed to stderr, as Lambda would log it).
     */
    public byte[] invoke(byte[] payload) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FunctionError(spec.name(), e);
        }
        String requestId = UUID.randomUUID().toString();
        long start = System.nanoTime();
        invocations.incrementAndGet();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handle(new ByteArrayInputStream(payload), out, new LocalContext(spec, requestId, start));
            return out.toByteArray();
        } catch (Throwable t) {
            errors.incrementAndGet();
            System.err.println("[" + spec.name() + " " + requestId.substring(0, 8) + "] invocation failed:");
            t.printStackTrace(System.err);
            throw new FunctionError(spec.name(), t);
        } finally {
            slots.release();
            long ms = (System.nanoTime() - start) / 1_000_000L;
            if (ms > spec.timeoutSeconds() * 1000L) {
                System.err.println("[" + spec.name() + " " + requestId.substring(0, 8) + "] WARNING: ran " + ms
                        + " ms, longer than its Timeout of " + spec.timeoutSeconds() + " s (Lambda would have stopped it)");
            }
        }
    }

    @Override
    public void close() {
        if (aws != null) aws.close();
    }
}
