package dev.ferry.functions.console;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.json.Json;
import dev.ferry.core.log.Log;
import dev.ferry.functions.DirectEvents;
import dev.ferry.functions.HttpApiEvent;
import dev.ferry.functions.HttpApiResponse;
import dev.ferry.functions.LambdaIo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.crac.Core;
import org.crac.Resource;

/**
 * The operator console at {@code /console/} (template routes {@code ANY /console} and
 * {@code ANY /console/{proxy+}}): the built console's files, packaged with the functions, as API
 * Gateway HTTP API answers — text as it is, compressed or binary bodies base64-encoded
 * ({@code isBase64Encoded}). Same origin as the API, so the console's Content-Security-Policy allows
 * only {@code 'self'}. It reads nothing but its own package: no AWS client, no permission.
 * A direct invocation (not an HTTP API event) is answered with a JSON error saying so.
 */
public final class ConsoleFunction implements RequestStreamHandler {
    /**
     * Lambda's limit for a synchronous invocation's answer. A file whose answer would pass it is
     * refused with a 500 naming it (API Gateway would answer a bare 502).
     */
    static final int MAX_ANSWER_BYTES = 6 * 1024 * 1024;
    /** Room for the answer's JSON around the body: status, headers, field names. */
    private static final int ENVELOPE_BYTES = 4 * 1024;
    private static final Pattern ENTRY_ASSETS = Pattern.compile("\"" + ConsoleFiles.PREFIX + "/(assets/[^\"?#]+)\"");
    /** The handler a SnapStart snapshot primes: the last one built with the no-arg constructor (Lambda builds one). */
    private static volatile ConsoleFunction primed;
    /** Registered once; CRaC holds resources weakly, so this field keeps it. */
    private static final Resource PRIMER = new Resource() {
        @Override
        public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
            ConsoleFunction f = primed;
            if (f != null) f.prime();
        }

        @Override
        public void afterRestore(org.crac.Context<? extends Resource> context) {
            // nothing to renew: the files are the package's
        }
    };
    private static final AtomicBoolean REGISTERED = new AtomicBoolean();

    private final ConsoleFiles files;

    /** Lambda's constructor: the console packaged with the function, primed before a SnapStart snapshot. */
    public ConsoleFunction() {
        this(ConsoleFiles.packaged());
        primed = this;
        if (REGISTERED.compareAndSet(false, true)) Core.getGlobalContext().register(PRIMER);
    }

    /** Serving {@code files} (tests, and any other source of the built console). */
    public ConsoleFunction(ConsoleFiles files) {
        this.files = files;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        try (Log.Scope invocation = LambdaIo.logScope(context)) {
            LambdaIo.write(output, answer(input));
        }
    }

    private Object answer(InputStream input) {
        JsonNode event;
        HttpApiEvent e;
        try {
            event = LambdaIo.readTree(input);
            if (!LambdaIo.isHttpApiEvent(event)) {
                throw new ValidationException("event", "ConsoleFunction answers API Gateway HTTP API events only "
                        + "(GET " + ConsoleFiles.PREFIX + "/…); it takes no direct event");
            }
            e = LambdaIo.httpApiEvent(event);
        } catch (ValidationException invalid) {
            return DirectEvents.error(invalid);
        }
        String method = e.requestContext() != null && e.requestContext().http() != null
                && e.requestContext().http().method() != null ? e.requestContext().http().method() : "GET";
        String path = e.rawPath() != null ? e.rawPath()
                : e.requestContext() != null && e.requestContext().http() != null ? e.requestContext().http().path() : null;
        ConsoleFiles.Answer a = files.answer(method, path, LambdaIo.headers(e).get("accept-encoding"));
        return response(a, path);
    }

    /** The answer as API Gateway takes it: text as a string, any other body base64. */
    static HttpApiResponse response(ConsoleFiles.Answer a, String path) {
        Map<String, String> headers = new LinkedHashMap<>(a.headers());
        String body;
        long size;
        if (a.text()) {
            body = new String(a.body(), StandardCharsets.UTF_8);
            size = a.body().length + escapes(body);
        } else {
            body = Base64.getEncoder().encodeToString(a.body());
            size = body.length();
        }
        if (size + ENVELOPE_BYTES > MAX_ANSWER_BYTES) {
            return new HttpApiResponse(500, ConsoleFiles.headers("text/plain; charset=utf-8"), "The console's file " + path
                    + " is " + a.body().length + " bytes: its answer would pass the " + MAX_ANSWER_BYTES
                    + " bytes a Lambda function may answer", false);
        }
        return new HttpApiResponse(a.status(), headers, body, !a.text());
    }

    /** The bytes JSON's escapes add to a string: a quote, a backslash or a control character is written as an escape. */
    private static long escapes(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') n += 1;
            else if (c < 0x20) n += 5;
        }
        return n;
    }

    /**
     * What the first visit would do cold, run before a SnapStart snapshot: the handler reads an HTTP
     * API event for {@code /console/} and answers {@code index.html} gzipped, then the scripts and
     * stylesheets {@code index.html} names, so their bytes and gzip are in memory. Returns the statuses.
     */
    public List<Integer> prime() {
        List<Integer> statuses = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        paths.add(ConsoleFiles.PREFIX + "/");
        ConsoleFiles.Answer index = files.answer("GET", ConsoleFiles.PREFIX + "/", null);
        if (index.status() == 200) {
            Matcher m = ENTRY_ASSETS.matcher(new String(index.body(), StandardCharsets.UTF_8));
            while (m.find()) paths.add(ConsoleFiles.PREFIX + "/" + m.group(1));
        }
        for (String path : paths) {
            String event = "{\"version\":\"2.0\",\"routeKey\":\"ANY /console/{proxy+}\",\"rawPath\":\"" + path + "\","
                    + "\"headers\":{\"accept-encoding\":\"gzip, deflate, br\"},"
                    + "\"requestContext\":{\"http\":{\"method\":\"GET\",\"path\":\"" + path + "\"}},\"isBase64Encoded\":false}";
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
            statuses.add(Json.tree(out.toString(StandardCharsets.UTF_8)).path("statusCode").asInt());
        }
        return statuses;
    }
}
