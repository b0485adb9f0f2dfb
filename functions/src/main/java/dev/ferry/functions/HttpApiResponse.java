package dev.ferry.functions;

import java.util.Map;

/** An HTTP API (payload format 2.0) response. */
public record HttpApiResponse(int statusCode, Map<String, String> headers, String body, boolean isBase64Encoded) {}
