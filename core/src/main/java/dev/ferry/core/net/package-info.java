/**
 * Outbound HTTP: the one way Ferry sends a request to an address a flow or a monitor chose (the
 * {@code http} step, webhook and Slack alert channels). {@link dev.ferry.core.net.DestinationPolicy}
 * says which addresses may be reached; {@link dev.ferry.core.net.OutboundHttpCaller} resolves each
 * host once, checks every address, dials the address it checked, follows redirects itself (checking
 * every hop) and holds the whole exchange, body included, to the request's deadline.
 */
package dev.ferry.core.net;
