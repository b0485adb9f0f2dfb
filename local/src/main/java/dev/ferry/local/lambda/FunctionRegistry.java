package dev.ferry.local.lambda;

import dev.ferry.template.Intrinsics;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The template's functions by name (their logical ids): what the HTTP API, the Lambda Invoke API
 * and the event sources all invoke.
 */
public final class FunctionRegistry implements AutoCloseable {
    private final Map<String, LocalFunction> functions = new LinkedHashMap<>();

    public void add(LocalFunction f) {
        functions.put(f.name(), f);
    }

    public Collection<LocalFunction> all() {
        return Collections.unmodifiableCollection(functions.values());
    }

    /** By logical id, {@code name:qualifier}, or a (partial) ARN ending in {@code function:name[:qualifier]}. */
    public Optional<LocalFunction> find(String nameOrArn) {
        return Optional.ofNullable(functions.get(functionName(nameOrArn)));
    }

    /** Invokes the named function; throws {@link IllegalArgumentException} for an unknown name. */
    public byte[] invoke(String nameOrArn, byte[] payload) {
        LocalFunction f = find(nameOrArn).orElseThrow(() -> new IllegalArgumentException("no function " + nameOrArn
                + "; the template has " + functions.keySet()));
        return f.invoke(payload);
    }

    /** The function name within a name, alias-qualified name or ARN. */
    public static String functionName(String nameOrArn) {
        if (nameOrArn == null) return "";
        String s = nameOrArn;
        int i = s.indexOf("function:");
        if (i >= 0) s = s.substring(i + "function:".length());
        int colon = s.indexOf(':');
        return colon < 0 ? s : s.substring(0, colon);
    }

    public static String arn(String name) {
        return "arn:" + Intrinsics.PARTITION + ":lambda:" + Intrinsics.REGION + ":" + Intrinsics.ACCOUNT_ID
                + ":function:" + name;
    }

    @Override
    public void close() {
        functions.values().forEach(LocalFunction::close);
    }
}
