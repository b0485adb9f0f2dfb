package dev.ferry.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class AwsClientsTest {
    @Test
    void defaultsToUsEast1WithoutEndpointOverride() {
        try (AwsClients clients = AwsClients.fromEnv(Map.of())) {
            assertThat(clients.region()).isEqualTo(Region.US_EAST_1);
            assertThat(clients.endpoint()).isNull();
            assertThat(clients.apiCallTimeout()).isEqualTo(Duration.ofSeconds(10));
        }
    }

    @Test
    void readsRegionEndpointAndTimeoutFromEnv() {
        try (AwsClients clients = AwsClients.fromEnv(Map.of("AWS_REGION", "eu-central-1",
                "AWS_ENDPOINT_URL", "http://127.0.0.1:4567", "FERRY_AWS_API_CALL_TIMEOUT_MS", "1500"))) {
            assertThat(clients.region()).isEqualTo(Region.EU_CENTRAL_1);
            assertThat(clients.endpoint()).isEqualTo(URI.create("http://127.0.0.1:4567"));
            assertThat(clients.apiCallTimeout()).isEqualTo(Duration.ofMillis(1500));
        }
    }

    @Test
    void badTimeoutIsRefused() {
        assertThatThrownBy(() -> AwsClients.fromEnv(Map.of("FERRY_AWS_API_CALL_TIMEOUT_MS", "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FERRY_AWS_API_CALL_TIMEOUT_MS");
    }

    @Test
    void eachClientIsBuiltOnceAndShared() throws Exception {
        try (AwsClients clients = AwsClients.fromEnv(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1"))) {
            Set<Object> seen = ConcurrentHashMap.newKeySet();
            CountDownLatch go = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                for (int i = 0; i < 8; i++) {
                    pool.submit(() -> {
                        go.await();
                        seen.add(clients.dynamoDb());
                        return null;
                    });
                }
                go.countDown();
            }
            assertThat(seen).hasSize(1);
            assertThat(clients.sqs()).isSameAs(clients.sqs());
            assertThat(clients.s3()).isSameAs(clients.s3());
            assertThat(clients.logs()).isSameAs(clients.logs());
            assertThat(clients.scheduler()).isSameAs(clients.scheduler());
        }
    }

    @Test
    void interceptorsAreAccepted() {
        CallCounter counter = new CallCounter();
        try (AwsClients clients = AwsClients.fromEnv(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1"), List.of(counter))) {
            assertThat(clients.dynamoDb()).isNotNull();
            assertThat(counter.total()).isZero();
            assertThat(counter.snapshot()).isEmpty();
        }
    }
}
