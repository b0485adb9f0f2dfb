package dev.ferry.local.iam;

import java.util.Map;

/**
 * One AWS authorization a function's SDK call needs: the IAM action ({@code dynamodb:PutItem}),
 * the resource ARN it acts on (a table, an index, an object, a log stream…) and the request's
 * condition keys ({@code kms:EncryptionContext:ferry:instance}, {@code ses:FromAddress}…). One
 * SDK call may need several: a transaction one per item, a schedule's creation also
 * {@code iam:PassRole} on its target's role.
 */
public record AwsCall(String action, String resource, Map<String, String> context) {
    public AwsCall {
        context = Map.copyOf(context);
    }

    public AwsCall(String action, String resource) {
        this(action, resource, Map.of());
    }
}
