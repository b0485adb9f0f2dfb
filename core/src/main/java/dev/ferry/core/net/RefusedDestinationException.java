package dev.ferry.core.net;

/**
 * The destination policy refuses an address: nothing was sent to it. An {@link IllegalArgumentException}
 * because sending again would be refused again (a step fails without a retry).
 */
public final class RefusedDestinationException extends IllegalArgumentException {
    /** {@code why}: what the address is, e.g. "169.254.169.254 is a link-local address, never a destination". */
    public RefusedDestinationException(String why) {
        super("destination refused: " + why);
    }
}
