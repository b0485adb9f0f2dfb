package dev.ferry.core.api;

/**
 * How a management route finds the customer that owns what it touches. Every route declares one
 * ({@code route(method, path, scope, action)}); {@link Tenancy} enforces it for customer-scoped keys
 * before the action runs. Admin keys pass every scope.
 *
 * <p>For a customer key: a resource of another customer answers 404, exactly as a non-existent id
 * (ids do not leak); an id of another customer in a body answers the 400 a non-existent id gets;
 * an admin-only action answers 403. In every scope, the query parameters {@code customerId},
 * {@code instanceId}, {@code flowConfigId} and {@code monitorId}, when given, must name the key's
 * customer or its resources (404 otherwise).
 */
public enum Scope {
    /**
     * No key at all: public documentation (the API reference). Neither {@link Auth} nor {@link Tenancy}
     * runs and the {@code Authorization} header is not read, so a route of this scope must answer the
     * same to everyone and touch no customer's data.
     */
    PUBLIC,
    /** Any valid key: shared data (integration definitions are the platform team's, shared by all customers). */
    ANY_KEY,
    /** Admin keys only: a customer key gets 403. */
    ADMIN,
    /** The path's id is a customer: only the key's own. */
    CUSTOMER,
    /** The path's id is an instance: only the key's customer's. */
    INSTANCE,
    /** The path's id is a flow config: only one of the key's customer's instances. */
    FLOW_CONFIG,
    /** The path's id is an execution: only the key's customer's. */
    EXECUTION,
    /** The path's id is a monitor: one scoped to the key's customer or one of its instances. */
    MONITOR,
    /** The path's id is an alert: one about the key's customer's instances. */
    ALERT,
    /** The path's id is a bulk replay job: one whose filter is the key's customer (or its instance or flow config). */
    REPLAY_JOB,
    /** The path's id is an API key: one of the key's customer. */
    API_KEY,
    /** A list: the action shows a customer key only its customer's items ({@code Call.customerId()}). */
    LIST,
    /** Creates an instance: the body's {@code customerId} must be the key's customer (missing: it is). */
    NEW_INSTANCE,
    /** Creates an API key: the body's {@code customerId} must be the key's customer (missing = an admin key: 403). */
    NEW_API_KEY,
    /** Creates a monitor: its {@code scope} must be the key's customer or one of its instances (everything: 403). */
    NEW_MONITOR,
    /** Starts a bulk replay: the filter's {@code customerId} is forced to the key's customer; its ids must be the customer's. */
    NEW_REPLAY_JOB
}
