package dev.ferry.functions.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.ferry.core.api.ManagementApi;
import dev.ferry.core.service.Ferry;
import dev.ferry.functions.LambdaIo;
import dev.ferry.functions.Wiring;
import java.io.InputStream;
import java.io.OutputStream;

/** The management API: every HTTP API route of template.yaml but webhooks and replay. */
public final class ManagementApiFunction implements RequestStreamHandler {
    private final ManagementApi api;

    public ManagementApiFunction() {
        this(Wiring.ferry());
    }

    public ManagementApiFunction(Ferry ferry) {
        this.api = ferry.api();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        var request = LambdaIo.apiRequest(LambdaIo.httpApiEvent(LambdaIo.readTree(input)));
        LambdaIo.write(output, LambdaIo.httpApiResponse(api.handle(request)));
    }
}
