package dev.ferry.functions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/** The parts Ferry reads of an API Gateway HTTP API (payload format 2.0) event. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HttpApiEvent(
        String version,
        String routeKey,
        String rawPath,
        String rawQueryString,
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
