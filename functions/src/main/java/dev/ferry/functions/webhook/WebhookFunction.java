package dev.ferry.functions.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.ferry.core.Ferry;
import dev.ferry.core.api.ApiErrors;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.api.WebhookEndpoint;
import dev.ferry.core.error.ValidationException;
import dev.ferry.core.log.Log;
import dev.ferry.functions.HttpApiEvent;
import dev.ferry.functions.LambdaIo;
import dev.ferry.functions.Wiring;
import java.io.InputStream;
import java.io.OutputStream;

/** {@code ANY /webhooks/{token}}: HTTP API event in, 202 once the request is stored and enqueued. */
public final class WebhookFunction implements RequestStreamHandler {
    private final WebhookEndpoint endpoint;

    public WebhookFunction() {
        this(Wiring.ferry());
    }

    public WebhookFunction(Ferry ferry) {
        this.endpoint = new WebhookEndpoint(ferry.webhooks());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        try (Log.Scope invocation = LambdaIo.logScope(context)) {
            handle(input, output, context);
        }
    }

    private void handle(InputStream input, OutputStream output, Context context) {
        ApiResponse answer;
        try {
            HttpApiEvent event = LambdaIo.httpApiEvent(LambdaIo.readTree(input));
            String token = event.pathParameters() == null ? null : event.pathParameters().get("token");
            answer = endpoint.handle(token, LambdaIo.executionRequest(event));
        } catch (ValidationException notAnHttpEvent) {
            answer = ApiErrors.toResponse(notAnHttpEvent);
        }
        LambdaIo.write(output, LambdaIo.httpApiResponse(answer));
    }
}
