package dev.ferry.infra;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import dev.ferry.infra.limits.AwsLimits;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one factory of AWS SDK clients. Each client is built on first use, then cached and shared
 * (thread-safe), so a Lambda container builds each at most once.
 *
 * <p>Settings come from the environment: {@code AWS_REGION} (default us-east-1),
 * {@code AWS_ENDPOINT_URL} (an emulator such as moto; with it, the credentials are the map's own
 * {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}, or test/test), {@code FERRY_AWS_API_CALL_TIMEOUT_MS} (whole call,
 * retries included; default 10000) and {@code FERRY_AWS_CONNECT_TIMEOUT_MS} (default 2000). Every
 * client uses the dependency-free {@link UrlConnectionHttpClient}; S3 uses path-style addressing.
 * Retries: {@code AWS_RETRY_MODE} (default standard: 3 attempts) and {@code AWS_MAX_ATTEMPTS}.
 *
 * <p>{@code FERRY_AWS_LIMITS} ({@code enforce} or {@code off}; by default {@code enforce} with an
 * endpoint override, {@code off} without one) installs {@link AwsLimits} on every client: requests
 * AWS would refuse for its limits are refused before they are sent, with AWS's error. The tests
 * and the local stack run against an emulator, so they enforce AWS's limits; on AWS the service
 * does.
 */
public final class AwsClients implements AutoCloseable {
    public static final String DEFAULT_REGION = "us-east-1";
    public static final long DEFAULT_API_CALL_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 2_000;

    private final Region region;
    private final URI endpoint;
    private final AwsCredentialsProvider credentials;
    private final Duration apiCallTimeout;
    private final Duration connectTimeout;
    private final List<ExecutionInterceptor> interceptors;
    private final RetryStrategy retryStrategy;

    private final Lazy<SdkHttpClient> http;
    private final Lazy<DynamoDbClient> dynamoDb;
    private final Lazy<SqsClient> sqs;
    private final Lazy<S3Client> s3;
    private final Lazy<CloudWatchLogsClient> logs;
    private final Lazy<SchedulerClient> scheduler;
    private final Lazy<SesV2Client> ses;
    private final Lazy<KmsClient> kms;

    private AwsClients(Map<String, String> env, List<ExecutionInterceptor> interceptors) {
        this.region = Region.of(firstNonBlank(env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"), DEFAULT_REGION));
        String endpointUrl = blankToNull(env.get("AWS_ENDPOINT_URL"));
        this.endpoint = endpointUrl == null ? null : URI.create(endpointUrl);
        this.credentials = endpoint != null ? emulatorCredentials(env) : DefaultCredentialsProvider.builder().build();
        this.apiCallTimeout = Duration.ofMillis(millis(env, "FERRY_AWS_API_CALL_TIMEOUT_MS", DEFAULT_API_CALL_TIMEOUT_MS));
        long connect = millis(env, "FERRY_AWS_CONNECT_TIMEOUT_MS", DEFAULT_CONNECT_TIMEOUT_MS);
        this.connectTimeout = Duration.ofMillis(Math.min(connect, apiCallTimeout.toMillis()));
        if (limitsEnforced(env, endpoint)) interceptors.add(0, new AwsLimits());
        this.interceptors = List.copyOf(interceptors);
        this.retryStrategy = retryStrategy(env);

        this.http = new Lazy<>(() -> UrlConnectionHttpClient.builder()
                .connectionTimeout(connectTimeout)
                .socketTimeout(apiCallTimeout)
                .build());
        this.dynamoDb = new Lazy<>(() -> configure(DynamoDbClient.builder()).build());
        this.sqs = new Lazy<>(() -> configure(SqsClient.builder()).build());
        this.s3 = new Lazy<>(() -> configure(S3Client.builder()).forcePathStyle(true).build());
        this.logs = new Lazy<>(() -> configure(CloudWatchLogsClient.builder()).build());
        this.scheduler = new Lazy<>(() -> configure(SchedulerClient.builder()).build());
        this.ses = new Lazy<>(() -> configure(SesV2Client.builder()).build());
        this.kms = new Lazy<>(() -> configure(KmsClient.builder()).build());
    }

    /** Clients configured from {@code env} (usually {@code System.getenv()}). */
    public static AwsClients fromEnv(Map<String, String> env) {
        return fromEnv(env, List.of());
    }

    /** As {@link #fromEnv(Map)}, with interceptors added to every client (e.g. a {@link CallCounter}). */
    public static AwsClients fromEnv(Map<String, String> env, List<? extends ExecutionInterceptor> interceptors) {
        return new AwsClients(env, new ArrayList<>(interceptors));
    }

    /**
     * Against an emulator the credentials are those {@code env} names (AWS_ACCESS_KEY_ID,
     * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, as Lambda gives a function its role's), read from
     * the map itself so that each function of the local stack can hold its own role's; else test/test.
     */
    static AwsCredentialsProvider emulatorCredentials(Map<String, String> env) {
        String key = blankToNull(env.get("AWS_ACCESS_KEY_ID"));
        if (key == null) return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        String secret = blankToNull(env.get("AWS_SECRET_ACCESS_KEY"));
        if (secret == null) throw new IllegalArgumentException("AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY");
        String token = blankToNull(env.get("AWS_SESSION_TOKEN"));
        return StaticCredentialsProvider.create(token == null ? AwsBasicCredentials.create(key, secret)
                : AwsSessionCredentials.create(key, secret, token));
    }

    /** Whether {@link AwsLimits} guards the clients: FERRY_AWS_LIMITS, else on exactly when an endpoint is overridden. */
    static boolean limitsEnforced(Map<String, String> env, URI endpoint) {
        String v = blankToNull(env.get("FERRY_AWS_LIMITS"));
        if (v == null) return endpoint != null;
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "enforce" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("FERRY_AWS_LIMITS must be enforce or off, got " + v);
        };
    }

    /** True when {@link AwsLimits} guards these clients. */
    public boolean limitsEnforced() {
        return interceptors.stream().anyMatch(i -> i instanceof AwsLimits);
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb.get();
    }

    public SqsClient sqs() {
        return sqs.get();
    }

    public S3Client s3() {
        return s3.get();
    }

    public CloudWatchLogsClient logs() {
        return logs.get();
    }

    public SchedulerClient scheduler() {
        return scheduler.get();
    }

    /** Amazon SES (API v2), for alert emails: built only where an email is sent. */
    public SesV2Client ses() {
        return ses.get();
    }

    /** AWS KMS, for secret config values and alert channels: built where one is sealed or opened. */
    public KmsClient kms() {
        return kms.get();
    }

    public Region region() {
        return region;
    }

    /** The endpoint override (an emulator), or null for the real AWS endpoints. */
    public URI endpoint() {
        return endpoint;
    }

    public Duration apiCallTimeout() {
        return apiCallTimeout;
    }

    /** Closes the clients built so far and the shared HTTP client. */
    @Override
    public void close() {
        dynamoDb.ifBuilt(DynamoDbClient::close);
        sqs.ifBuilt(SqsClient::close);
        s3.ifBuilt(S3Client::close);
        logs.ifBuilt(CloudWatchLogsClient::close);
        scheduler.ifBuilt(SchedulerClient::close);
        ses.ifBuilt(SesV2Client::close);
        kms.ifBuilt(KmsClient::close);
        http.ifBuilt(SdkHttpClient::close);
    }

    private <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>>
            B configure(B builder) {
        builder.region(region)
                .credentialsProvider(credentials)
                .httpClient(http.get())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(apiCallTimeout)
                        .retryStrategy(retryStrategy)
                        .executionInterceptors(interceptors)
                        .build());
        if (endpoint != null) builder.endpointOverride(endpoint);
        return builder;
    }

    /** AWS_RETRY_MODE (standard, adaptive or legacy; default standard) and AWS_MAX_ATTEMPTS (default 3). */
    private static RetryStrategy retryStrategy(Map<String, String> env) {
        String mode = blankToNull(env.get("AWS_RETRY_MODE"));
        RetryMode retryMode = mode == null ? RetryMode.STANDARD : RetryMode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
        RetryStrategy strategy = AwsRetryStrategy.forRetryMode(retryMode);
        String attempts = blankToNull(env.get("AWS_MAX_ATTEMPTS"));
        if (attempts == null) return strategy;
        try {
            int n = Integer.parseInt(attempts.trim());
            if (n < 1) throw new IllegalArgumentException("AWS_MAX_ATTEMPTS must be at least 1, got " + attempts);
            return strategy.toBuilder().maxAttempts(n).build();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("AWS_MAX_ATTEMPTS must be a number, got " + attempts, e);
        }
    }

    private static long millis(Map<String, String> env, String name, long fallback) {
        String v = blankToNull(env.get(name));
        if (v == null) return fallback;
        try {
            long ms = Long.parseLong(v.trim());
            if (ms <= 0) throw new IllegalArgumentException(name + " must be positive, got " + v);
            return ms;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number of milliseconds, got " + v, e);
        }
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) if (blankToNull(v) != null) return v.trim();
        return null;
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v;
    }

    /** A value built once, on first use, by whichever thread gets there first. */
    private static final class Lazy<T> {
        private final Supplier<T> factory;
        private volatile T value;

        Lazy(Supplier<T> factory) {
            this.factory = factory;
        }

        T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) value = v = factory.get();
                }
            }
            return v;
        }

        synchronized void ifBuilt(java.util.function.Consumer<T> action) {
            if (value != null) action.accept(value);
        }
    }
}
