package dev.ferry.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.api.ApiRequest;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.json.Json;
import dev.ferry.core.log.Log;
import dev.ferry.core.model.ExecutionRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading Lambda events and writing answers: the only translation between AWS shapes and the core. */
public final class LambdaIo {
    private LambdaIo() {}

    /**
     * The correlation keys of one invocation, for every log line until it is closed: the function's
     * name and the request id, from Lambda's context (without one, the name from the environment).
     */
    public static Log.Scope logScope(Context context) {
        return Log.with(Log.FUNCTION, context != null ? context.getFunctionName() : System.getenv("AWS_LAMBDA_FUNCTION_NAME"),
                Log.REQUEST_ID, context != null ? context.getAwsRequestId() : null);
    }

    /**
     * The event as JSON. JSON the parser refuses to hold (nested past 1,000 levels, a number or
     * string over its limits) is a ValidationException, which the handlers answer as the API's
     * error shape. A payload that is not JSON at all never reaches a handler on AWS (Invoke answers
     * it {@code InvalidRequestContentException}); here it is an UncheckedIOException, which the
     * local Lambda API reports as an {@code Unhandled} function error.
     */
    public static JsonNode readTree(InputStream in) {
        try {
            JsonNode node = Json.MAPPER.readTree(in);
            return node == null || node.isMissingNode() ? Json.object() : node;
        } catch (StreamConstraintsException e) {
            throw new ValidationException("event", "is nested too deeply or has a value too long");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An SQS event ({@code {"Records": [...]}}) or a ValidationException naming what is wrong. */
    public static SqsEvent sqsEvent(JsonNode event) {
        if (event == null || !event.isObject() || !event.path("Records").isArray()) {
            throw new ValidationException("Records", "must be a list of SQS messages {messageId, body, …}");
        }
        try {
            SqsEvent e = Json.MAPPER.convertValue(event, SqsEvent.class);
            if (e.records().stream().anyMatch(m -> m == null)) {
                throw new ValidationException("Records", "must be a list of SQS messages {messageId, body, …}");
            }
            return e;
        } catch (IllegalArgumentException e) {
            throw new ValidationException("Records", "must be a list of SQS messages {messageId, body, …}");
        }
    }

    public static void write(OutputStream out, Object value) {
        try {
            Json.MAPPER.writeValue(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean isHttpApiEvent(JsonNode event) {
        return event.has("requestContext") && event.has("rawPath");
    }

    public static boolean isSqsEvent(JsonNode event) {
        return event.has("Records");
    }

    public static HttpApiEvent httpApiEvent(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new ValidationException("event", "is not an API Gateway HTTP API (payload 2.0) event");
        }
        try {
            return Json.MAPPER.convertValue(event, HttpApiEvent.class);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("event", "is not an API Gateway HTTP API (payload 2.0) event");
        }
    }

    /** The raw body bytes, exactly as the sender sent them. */
    public static byte[] body(HttpApiEvent e) {
        if (e.body() == null) return new byte[0];
        if (!e.isBase64Encoded()) return e.body().getBytes(StandardCharsets.UTF_8);
        try {
            return Base64.getDecoder().decode(e.body());
        } catch (IllegalArgumentException notBase64) {
            throw new ValidationException("body", "isBase64Encoded is true but the body is not base64");
        }
    }

    /**
     * The request's headers, names lower-cased. API Gateway moves the {@code Cookie} header into the
     * event's {@code cookies} array; it is put back as one {@code cookie} header ({@code a=1; b=2}),
     * so the stored request (and a replay of it) has the cookies the sender sent.
     */
    public static Map<String, String> headers(HttpApiEvent e) {
        Map<String, String> h = new LinkedHashMap<>();
        if (e.headers() != null) e.headers().forEach((k, v) -> {
            if (k != null && v != null) h.put(k.toLowerCase(), v);
        });
        if (e.cookies() != null && !e.cookies().isEmpty() && !h.containsKey("cookie")) {
            List<String> cookies = e.cookies().stream().filter(c -> c != null && !c.isBlank()).toList();
            if (!cookies.isEmpty()) h.put("cookie", String.join("; ", cookies));
        }
        return h;
    }

    /** The query parameters, without null names or values (API Gateway sends none; a hand-made event might). */
    public static Map<String, String> query(HttpApiEvent e) {
        Map<String, String> q = new LinkedHashMap<>();
        if (e.queryStringParameters() != null) e.queryStringParameters().forEach((k, v) -> {
            if (k != null && v != null) q.put(k, v);
        });
        return q;
    }

    public static ExecutionRequest executionRequest(HttpApiEvent e) {
        Map<String, String> headers = headers(e);
        return new ExecutionRequest(method(e), body(e), headers, query(e), headers.get("content-type"));
    }

    public static ApiRequest apiRequest(HttpApiEvent e) {
        String path = e.rawPath() != null ? e.rawPath()
                : e.requestContext() != null && e.requestContext().http() != null ? e.requestContext().http().path() : "/";
        return new ApiRequest(method(e), path, query(e), headers(e), body(e), baseUrl(e));
    }

    private static String method(HttpApiEvent e) {
        return e.requestContext() != null && e.requestContext().http() != null
                ? e.requestContext().http().method() : "GET";
    }

    /** https://<domain> as API Gateway serves it; plain http for a loopback domain (the local stack). */
    static String baseUrl(HttpApiEvent e) {
        String domain = e.requestContext() == null ? null : e.requestContext().domainName();
        if (domain == null || domain.isBlank()) return "";
        boolean local = domain.startsWith("127.") || domain.startsWith("localhost");
        return (local ? "http://" : "https://") + domain;
    }

    public static HttpApiResponse httpApiResponse(ApiResponse r) {
        Map<String, String> headers = new LinkedHashMap<>(r.headers());
        return new HttpApiResponse(r.status(), headers, r.bodyText(), false);
    }
}
