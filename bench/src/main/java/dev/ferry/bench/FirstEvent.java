package dev.ferry.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a fresh JVM by the benchmark: constructs one handler (as Lambda's runtime would, through
 * its no-arg constructor and the process environment) and hands it one event. Prints
 * {@code {"initMs", "firstEventMs", "primeMs", "totalMs"}} measured from the JVM's start. With a third
 * argument {@code prime}, the container's SnapStart priming hook runs between the constructor and
 * the event (its time is {@code primeMs}, left out of {@code firstEventMs}).
 */
public final class FirstEvent {
    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        String handlerClass = args[0];
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        long t0 = System.currentTimeMillis();
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(handlerClass).getConstructor().newInstance();
        long primeMs = 0;
        if (args.length > 2 && args[2].equals("prime")) { // what SnapStart's checkpoint would have run
            long p0 = System.currentTimeMillis();
            dev.ferry.functions.Priming.primeRegistered();
            if (handler instanceof dev.ferry.functions.console.ConsoleFunction console) console.prime(); // its own hook
            primeMs = System.currentTimeMillis() - p0;
        }
        long t1 = System.currentTimeMillis();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, null);
        long t2 = System.currentTimeMillis();
        String answer = out.toString().replace('\n', ' ');
        if (answer.length() > 120) answer = answer.substring(0, 120);
        System.out.println("{\"jvmToMainMs\":" + (t0 - jvmStart) + ",\"initMs\":" + (t1 - t0) + ",\"firstEventMs\":" + (t2 - t1)
                + ",\"primeMs\":" + primeMs + ",\"totalMs\":" + (t2 - jvmStart) + ",\"answer\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(answer) + "}");
    }
}
