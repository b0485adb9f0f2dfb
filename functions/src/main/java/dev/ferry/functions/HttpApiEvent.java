package dev.ferry.functions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * The parts Ferry reads of an API Gateway HTTP API (payload format 2.0) event. API Gateway sends
 * the request's cookies in {@code cookies}, not among the {@code headers}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HttpApiEvent(
        String version,
        String routeKey,
        String rawPath,
        String rawQueryString,
        List<String> cookies,
        Map<String, String> headers,
        Map<String, String> queryStringParameters,
        Map<String, String> pathParameters,
        RequestContext requestContext,
        String body,
        boolean isBase64Encoded) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RequestContext(String domainName, String requestId, Http http) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Http(String method, String path, String protocol, String sourceIp) {}
}
