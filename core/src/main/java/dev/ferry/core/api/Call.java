package dev.ferry.core.api;

import java.util.List;

/**
 * One matched request: the request (as {@link Tenancy} let it through), the caller, the path's ids.
 * {@code principal} is null for a {@link Scope#PUBLIC} route, which has no caller.
 */
record Call(ApiRequest request, Auth.Principal principal, List<String> ids) {
    /** The path's first id. */
    String id() {
        return ids.get(0);
    }

    /** The customer a list is confined to: the key's customer, or null for an admin key (everything). */
    String customerId() {
        return principal.customerId();
    }

    /** Who is calling, as records of a person's action show it: "admin", or the key's name and id. */
    String who() {
        if (principal == null || principal.keyId() == null) return "admin";
        return principal.name() + " (" + principal.keyId() + ")";
    }
}
