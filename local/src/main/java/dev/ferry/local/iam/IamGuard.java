package dev.ferry.local.iam;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * One function's AWS clients, held to its role as AWS would hold them: before a request is sent,
 * each authorization it needs ({@link CallMapper}) must be allowed by a statement of the
 * function's role, resource ARN and conditions included, and denied by none; otherwise the request
 * fails as AWS fails it (403 AccessDeniedException) and is never sent. Moto, with the same role,
 * checks the action again; it cannot check resources, this does. Every call and refusal goes to
 * the stack's {@link IamLedger}.
 */
public final class IamGuard implements ExecutionInterceptor {
    private final FunctionRoles.Role role;
    private final CallMapper mapper;
    private final IamLedger ledger;

    public IamGuard(FunctionRoles.Role role, CallMapper mapper, IamLedger ledger) {
        this.role = role;
        this.mapper = mapper;
        this.ledger = ledger;
        ledger.grants(role.function(), role.inline());
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        for (AwsCall call : mapper.map(service, operation, context.request())) check(service, call);
    }

    void check(String service, AwsCall call) {
        List<PolicyStatement> allowing = new ArrayList<>();
        for (PolicyStatement s : role.statements()) {
            if (!s.matches(call)) continue;
            if (!s.allow()) {
                ledger.denied(role.function(), call);
                throw accessDenied(service, call, "an explicit deny in " + s.source());
            }
            allowing.add(s);
        }
        if (allowing.isEmpty()) {
            ledger.denied(role.function(), call);
            throw accessDenied(service, call, "no statement of its role allows it");
        }
        ledger.allowed(role.function(), call, allowing);
    }

    private AwsServiceException accessDenied(String service, AwsCall call, String why) {
        String message = "User: arn:aws:sts::123456789012:assumed-role/" + role.roleLogicalId() + "/" + role.function()
                + " is not authorized to perform: " + call.action() + " on resource: " + call.resource() + " because " + why
                + " (the local stack's IAM check, FERRY_LOCAL_IAM=enforce)";
        return AwsServiceException.builder().message(message).statusCode(403)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").errorMessage(message)
                        .serviceName(service).build())
                .build();
    }
}
