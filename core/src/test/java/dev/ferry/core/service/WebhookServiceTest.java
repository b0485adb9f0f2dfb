package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.Ferry;
import dev.ferry.core.Ports;
import dev.ferry.core.api.ApiResponse;
import dev.ferry.core.api.WebhookEndpoint;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.PayloadTooLargeException;
import dev.ferry.core.error.StoreException;
import dev.ferry.core.error.UnavailableException;
import dev.ferry.core.message.ExecutionMessage;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.PauseMode;
import dev.ferry.core.port.ExecutionQueue;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.testkit.FerryTestKit;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookServiceTest {
    private final FerryTestKit kit = new FerryTestKit();
    private final FerryTestKit.Demo demo = kit.seedDemo();

    private static ExecutionRequest post(String body) {
        return new ExecutionRequest("POST", body.getBytes(StandardCharsets.UTF_8),
                Map.of("content-type", "application/json", "x-request-id", "r-1"), Map.of("a", "1"), "application/json");
    }

    @Test
    void acceptedRequestIsStoredQueuedAndEnqueuedWithItsExactBytes() {
        Execution e = kit.ferry.webhooks().accept(demo.token(), post("{\"id\": 42}\n"));

        assertThat(e.status()).isEqualTo(ExecutionStatus.QUEUED);
        Execution stored = kit.executions.get(e.id()).orElseThrow();
        assertThat(new String(stored.request().body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\": 42}\n");
        assertThat(stored.request().query()).containsEntry("a", "1");
        assertThat(stored.instanceId()).isEqualTo(demo.instanceId());
        assertThat(kit.queue.pending()).containsExactly(e.id());
    }

    @Test
    void unknownTokenIsNotFoundAndStoresNothing() {
        assertThatThrownBy(() -> kit.ferry.webhooks().accept("nope", post("{}"))).isInstanceOf(NotFoundException.class);
        assertThat(kit.executions.all()).isEmpty();
    }

    @Test
    void bodyOverSixMegabytesIsRejectedAs413AndStoresNothing() {
        byte[] big = new byte[(int) Settings.SIX_MB + 1];
        ExecutionRequest r = new ExecutionRequest("POST", big, Map.of(), Map.of(), "application/octet-stream");
        assertThatThrownBy(() -> kit.ferry.webhooks().accept(demo.token(), r)).isInstanceOf(PayloadTooLargeException.class);
        assertThat(kit.executions.all()).isEmpty();
    }

    @Test
    void pausedRejectInstanceAnswers503WithRetryAfterAndStoresNothing() {
        pause(PauseMode.REJECT);
        ApiResponse r = new WebhookEndpoint(kit.ferry.webhooks()).handle(demo.token(), post("{}"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.headers()).containsKey("retry-after");
        assertThat(kit.executions.all()).isEmpty();
        assertThat(kit.queue.pending()).isEmpty();
    }

    @Test
    void pausedHoldInstanceAcceptsAndHoldsWithoutEnqueueing() {
        pause(PauseMode.HOLD);
        ApiResponse r = new WebhookEndpoint(kit.ferry.webhooks()).handle(demo.token(), post("{}"));
        assertThat(r.status()).isEqualTo(202);
        assertThat(kit.executions.all()).singleElement().extracting(Execution::status).isEqualTo(ExecutionStatus.HELD);
        assertThat(kit.queue.pending()).isEmpty();
    }

    @Test
    void storeFailureAnswers503AndEnqueuesNothing() {
        var real = kit.executions;
        ExecutionStore unreachable = new ExecutionStore() {
            public void create(Execution e) { throw new StoreException("table unreachable", null); }
            public java.util.Optional<Execution> get(String id) { return real.get(id); }
            public java.util.Optional<Execution> claim(String id, java.time.Instant at, String t, java.time.Instant s) {
                return real.claim(id, at, t, s);
            }
            public boolean unclaim(String id, String t, java.time.Instant at) { return real.unclaim(id, t, at); }
            public java.util.List<String> unacknowledgedBefore(java.time.Instant c, int l) { return real.unacknowledgedBefore(c, l); }
            public boolean cancelUnacknowledged(String id, dev.ferry.core.model.ExecutionError e, java.time.Instant at) {
                return real.cancelUnacknowledged(id, e, at);
            }
            public void save(Execution e) { throw new StoreException("table unreachable", null); }
            public dev.ferry.core.model.Page<Execution> list(dev.ferry.core.model.ExecutionQuery q) { return real.list(q); }
            public dev.ferry.core.model.Page<String> listHeld(String i, int l, String c) { return real.listHeld(i, l, c); }
            public boolean release(String id) { return real.release(id); }
            public java.util.Optional<Execution> cancel(String id, String by, java.time.Instant at) { return real.cancel(id, by, at); }
            public boolean startRetry(String id, java.time.Instant at) { return real.startRetry(id, at); }
            public java.util.List<Execution> runningStartedBefore(java.time.Instant c, int l) { return real.runningStartedBefore(c, l); }
            public Watched watchUnfinished(java.time.Instant now) { return real.watchUnfinished(now); }
            public dev.ferry.core.model.Page<String> deleteForInstance(String i, int l, String c) { return real.deleteForInstance(i, l, c); }
            public void delete(String id) { real.delete(id); }
        };
        Ports p = kit.ferry.ports();
        WebhookService service = new Ferry(p.withExecutions(unreachable), kit.ferry.settings()).webhooks();
        ApiResponse r = new WebhookEndpoint(service).handle(demo.token(), post("{}"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(kit.queue.pending()).isEmpty();
    }

    @Test
    void enqueueFailureAnswers503AndWithdrawsTheStoredExecution() {
        ExecutionQueue broken = id -> { throw new StoreException("queue down", null); };
        Ports p = kit.ferry.ports();
        WebhookService service = new Ferry(p.withQueue(broken), kit.ferry.settings()).webhooks();
        assertThatThrownBy(() -> service.accept(demo.token(), post("{}"))).isInstanceOf(UnavailableException.class);
        assertThat(kit.executions.all()).singleElement().extracting(Execution::status).isEqualTo(ExecutionStatus.CANCELLED);
    }

    @Test
    void synchronousWebhookAnswersTheLastStepOutput() {
        // The queue consumer runs as soon as something is enqueued, as Lambda would.
        Ports p = kit.ferry.ports();
        Ferry[] ferry = new Ferry[1];
        ExecutionQueue inline = m -> ferry[0].runner().run(((ExecutionMessage.Run) m).executionId());
        ferry[0] = new Ferry(p.withQueue(inline), kit.ferry.settings());
        ExecutionRequest r = new ExecutionRequest("POST", "{\"id\": 7, \"total\": 3}".getBytes(StandardCharsets.UTF_8),
                Map.of("x-ferry-synchronous", "true", "content-type", "application/json"), Map.of(), "application/json");

        ApiResponse answer = new WebhookEndpoint(ferry[0].webhooks()).handle(demo.token(), r);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(FerryTestKit.json(answer).get("id").asInt()).isEqualTo(7);
    }

    private void pause(PauseMode mode) {
        var i = kit.instances.get(demo.instanceId()).orElseThrow();
        kit.instances.update(new dev.ferry.core.model.Instance(i.id(), i.name(), i.customerId(), i.integrationId(),
                i.integrationVersion(), false, mode, i.configVariables(), i.createdAt(), i.lastExecutedAt()));
    }
}
