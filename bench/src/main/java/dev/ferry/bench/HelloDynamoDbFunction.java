package dev.ferry.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.ferry.infra.AwsClients;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A second baseline: the least a Lambda that touches DynamoDB does — build a client with the same
 * factory and make one GetItem. The gap between it and hello-world is the AWS SDK's own start-up.
 */
public final class HelloDynamoDbFunction implements RequestStreamHandler {
    private final AwsClients aws = AwsClients.fromEnv(System.getenv());
    private final String table = System.getenv("FERRY_CONFIG_TABLE");

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        boolean found = aws.dynamoDb().getItem(b -> b.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("hello"), "sk", AttributeValue.fromS("hello")))).hasItem();
        output.write(("{\"found\":" + found + "}").getBytes(StandardCharsets.UTF_8));
    }
}
