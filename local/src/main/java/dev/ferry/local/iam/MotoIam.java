package dev.ferry.local.iam;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * IAM in moto for {@code FERRY_LOCAL_IAM=enforce}: one role per function (its grants as
 * {@link FunctionRoles#motoPolicy}), credentials of each from {@code sts:AssumeRole}, an admin user
 * for the stack's own work (Lambda's pollers and the scheduler are AWS's, not a function's), then
 * enforcement switched on ({@code POST /moto-api/reset-auth 0}: from then on moto refuses any
 * request not signed by a known identity or not allowed by its policies). {@link #relax(URI)}
 * switches it off again, for whatever uses the emulator next.
 */
public final class MotoIam {
    /** The keys a process needs to act as an identity in the emulator. */
    public record Keys(String accessKeyId, String secretAccessKey, String sessionToken) {
        public Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("AWS_ACCESS_KEY_ID", accessKeyId);
            env.put("AWS_SECRET_ACCESS_KEY", secretAccessKey);
            if (sessionToken != null) env.put("AWS_SESSION_TOKEN", sessionToken);
            return env;
        }
    }

    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String ADMIN = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final IamClient iam;
    private final StsClient sts;
    private final String prefix;

    /** Clients on {@code endpoint} with the emulator's open credentials (before enforcement). */
    public MotoIam(URI endpoint, String region, String prefix) {
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        var http = software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder().build();
        this.iam = IamClient.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL).credentialsProvider(creds).httpClient(http).build();
        this.sts = StsClient.builder().endpointOverride(endpoint).region(Region.of(region)).credentialsProvider(creds).httpClient(http).build();
        this.prefix = prefix;
    }

    /** Creates (or refreshes) the role of {@code role}'s function and returns credentials of a session in it. */
    public Keys functionRole(FunctionRoles.Role role) {
        String name = roleName(role.function());
        try {
            iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument(TRUST));
        } catch (EntityAlreadyExistsException kept) {
            // A ./ferry local that reuses a running emulator: the role is refreshed below.
        }
        iam.putRolePolicy(b -> b.roleName(name).policyName("grants").policyDocument(FunctionRoles.motoPolicy(role)));
        String arn = iam.getRole(b -> b.roleName(name)).role().arn();
        Credentials c = sts.assumeRole(b -> b.roleArn(arn).roleSessionName(role.function()).durationSeconds(43_200)).credentials();
        return new Keys(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
    }

    /** An IAM user allowed everything, for the stack's own calls and the operator's tools; a fresh access key. */
    public Keys admin() {
        String name = prefix + "local-admin";
        try {
            iam.createUser(b -> b.userName(name));
        } catch (EntityAlreadyExistsException kept) {
            for (AccessKeyMetadata k : iam.listAccessKeys(b -> b.userName(name)).accessKeyMetadata()) {
                iam.deleteAccessKey(b -> b.userName(name).accessKeyId(k.accessKeyId()));
            }
        }
        iam.putUserPolicy(b -> b.userName(name).policyName("admin").policyDocument(ADMIN));
        var key = iam.createAccessKey(b -> b.userName(name)).accessKey();
        return new Keys(key.accessKeyId(), key.secretAccessKey(), null);
    }

    private String roleName(String function) {
        String n = prefix + function;
        return n.length() <= 64 ? n : n.substring(0, 64);
    }

    /** From now on moto authenticates and authorizes every request. */
    public static void enforce(URI endpoint) {
        resetAuth(endpoint, "0");
    }

    /** From now on moto accepts any request again (its default). */
    public static void relax(URI endpoint) {
        resetAuth(endpoint, "inf");
    }

    private static void resetAuth(URI endpoint, String count) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset-auth"))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(count)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("moto's reset-auth answered " + r.statusCode() + ": " + r.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the emulator's /moto-api/reset-auth at " + endpoint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void close() {
        iam.close();
        sts.close();
    }
}
