package dev.ferry.core.service;

import dev.ferry.core.definition.FlowDef;
import dev.ferry.core.definition.TriggerDef;
import dev.ferry.core.definition.WebhookSecurity;
import dev.ferry.core.error.NotFoundException;
import dev.ferry.core.error.PayloadTooLargeException;
import dev.ferry.core.error.StoreException;
import dev.ferry.core.error.UnavailableException;
import dev.ferry.core.model.Execution;
import dev.ferry.core.model.ExecutionError;
import dev.ferry.core.model.ExecutionRequest;
import dev.ferry.core.model.ExecutionStatus;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.PauseMode;
import dev.ferry.core.model.Trigger;
import dev.ferry.core.model.WebhookRoute;
import dev.ferry.core.port.ExecutionQueue;
import dev.ferry.core.port.ExecutionStore;
import dev.ferry.core.port.IdGenerator;
import dev.ferry.core.port.InstanceStore;
import dev.ferry.core.port.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The webhook edge: resolve the token, store the request durably, enqueue it — and only then
 * say 202. Warm containers cache routes for a few seconds so acceptance is one PutItem and one
 * SendMessage; a pause seen late by the cache is still honoured, because the flow execution
 * function re-checks the instance before running (and holds what arrived for a paused instance).
 */
public final class WebhookService {
    /** How long a paused REJECT instance tells senders to wait before trying again. */
    public static final int PAUSED_RETRY_AFTER_SECONDS = 60;

    private final InstanceStore instances;
    private final ExecutionStore executions;
    private final ExecutionQueue queue;
    private final IdGenerator ids;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Settings settings;
    private final Definitions definitions;
    private final HeldExecutions held;
    private final ConcurrentHashMap<String, CachedRoute> routes = new ConcurrentHashMap<>();

    private final Secrets secrets;

    /** A route with its resolved security check (which holds the instance's secret, in memory only). */
    private record CachedRoute(WebhookRoute route, WebhookGuard guard, Instant until) {}

    public WebhookService(InstanceStore instances, ExecutionStore executions, ExecutionQueue queue, IdGenerator ids,
                          Clock clock, Sleeper sleeper, Settings settings, Definitions definitions, HeldExecutions held,
                          Secrets secrets) {
        this.secrets = secrets;
        this.instances = instances;
        this.executions = executions;
        this.queue = queue;
        this.ids = ids;
        this.clock = clock;
        this.sleeper = sleeper;
        this.settings = settings;
        this.definitions = definitions;
        this.held = held;
    }

    /**
     * Accepts a webhook request. Returns the stored execution, QUEUED (enqueued) or HELD (instance
     * paused in HOLD mode). Throws NotFound for an unknown token, PayloadTooLarge over 6 MB,
     * Unauthorized when the flow's webhook security check fails (before anything is stored, for
     * synchronous and paused instances alike), Unavailable for a paused REJECT instance, and StoreException when the request could not be
     * stored and enqueued — never returns for a request that may be lost.
     */
    public Execution accept(String token, ExecutionRequest request) {
        if (request.body().length > settings.maxBodyBytes()) {
            throw new PayloadTooLargeException(request.body().length, settings.maxBodyBytes());
        }
        CachedRoute resolved = route(token).orElseThrow(() -> new NotFoundException("webhook", redactToken(token)));
        WebhookRoute route = resolved.route();
        request = resolved.guard().check(route, request, clock.instant());
        boolean paused = !route.enabled();
        if (paused && route.pauseMode() == PauseMode.REJECT) {
            throw new UnavailableException("instance_paused",
                    "instance " + route.instanceId() + " is paused; try again later", PAUSED_RETRY_AFTER_SECONDS);
        }
        Instant now = clock.instant();
        Execution execution = Execution.builder()
                .id(ids.newId("exe"))
                .instanceId(route.instanceId())
                .customerId(route.customerId())
                .flowConfigId(route.flowConfigId())
                .flow(route.flow())
                .trigger(Trigger.WEBHOOK)
                .status(paused ? ExecutionStatus.HELD : ExecutionStatus.QUEUED)
                .queuedAt(now)
                .attempt(1)
                .request(request)
                .expiresAt(now.plus(Duration.ofDays(settings.retentionDays())))
                .build();
        executions.create(execution);
        if (!paused) {
            enqueueOrWithdraw(execution);
            return execution;
        }
        return held.releaseIfUnpaused(execution); // the route may be cached past an unpause
    }

    /**
     * Waits for the execution to end, polling with a growing interval, up to the synchronous
     * limit. Returns the last state seen (not terminal if the limit passed first).
     */
    public Execution awaitEnd(Execution accepted) {
        Instant deadline = clock.instant().plus(settings.syncWait());
        long pauseMs = 25;
        Execution current = accepted;
        while (!current.status().terminal() && clock.instant().isBefore(deadline)) {
            try {
                sleeper.sleep(Duration.ofMillis(pauseMs));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pauseMs = Math.min(pauseMs * 2, 500);
            current = executions.get(accepted.id()).orElse(current);
        }
        return current;
    }

    private void enqueueOrWithdraw(Execution execution) {
        try {
            queue.enqueue(execution.id());
        } catch (RuntimeException enqueueFailure) {
            // Stored but not enqueued: the sender gets a 5xx and will send again, so withdraw this
            // copy rather than leave a QUEUED execution nothing will ever run.
            try {
                executions.save(execution.toBuilder()
                        .end(ExecutionStatus.CANCELLED, clock.instant())
                        .error(new ExecutionError("not enqueued: " + enqueueFailure.getMessage()
                                + "; the sender was answered 503 to send again", null, true))
                        .build());
            } catch (RuntimeException ignored) {
                // Best effort; the answer is a 5xx either way.
            }
            throw enqueueFailure instanceof StoreException s ? s
                    : new StoreException("could not enqueue the execution", enqueueFailure);
        }
    }

    /**
     * The route and its security check: one GetItem of the route (cached for the route cache's
     * TTL), the integration version (immutable, cached per container) and — only for a flow that
     * declares a security check — one GetItem of the instance for its secret.
     */
    private Optional<CachedRoute> route(String token) {
        if (token == null || token.isBlank() || token.length() > 200) return Optional.empty();
        Instant now = clock.instant();
        CachedRoute cached = routes.get(token);
        if (cached != null && now.isBefore(cached.until())) {
            return Optional.of(cached);
        }
        Optional<WebhookRoute> found = instances.findRoute(token);
        if (found.isEmpty()) {
            routes.remove(token);
            return Optional.empty();
        }
        WebhookRoute r = found.get();
        Instance instance = null;
        if (r.integrationId() == null) { // a route stored before routes carried the version
            instance = instances.get(r.instanceId()).orElse(null);
            if (instance == null) return Optional.empty();
            r = new WebhookRoute(r.token(), r.flowConfigId(), r.instanceId(), r.customerId(), r.flow(), r.enabled(),
                    r.pauseMode(), instance.integrationId(), instance.integrationVersion());
        }
        WebhookSecurity security = definitions.definition(r.integrationId(), r.integrationVersion()).flow(r.flow())
                .map(FlowDef::trigger).map(TriggerDef::security).orElse(WebhookSecurity.NONE);
        WebhookGuard guard = WebhookGuard.OPEN;
        if (security != null && !security.none()) {
            if (instance == null) instance = instances.get(r.instanceId()).orElse(null);
            if (instance == null) return Optional.empty();
            String secret;
            try {
                secret = secrets.value(instance, security.secretVariable());
            } catch (dev.ferry.core.error.SecretUnreadableException e) {
                // Fails closed: the check holds no secret, so every request is refused (401) until it is set again.
                dev.ferry.core.log.Log.warn("webhook secret cannot be opened", "reason", e.getMessage());
                secret = null;
            }
            guard = new WebhookGuard(security, secret);
        }
        CachedRoute fresh = new CachedRoute(r, guard, now.plus(settings.routeCacheTtl()));
        routes.put(token, fresh);
        return Optional.of(fresh);
    }

    /** Forgets cached routes, so a change made in this container is seen at once. */
    public void invalidateRoutes() {
        routes.clear();
    }

    private static String redactToken(String token) {
        if (token == null) return "";
        return token.length() <= 6 ? token : token.substring(0, 6) + "…";
    }
}
