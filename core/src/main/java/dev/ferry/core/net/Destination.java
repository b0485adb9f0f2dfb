package dev.ferry.core.net;

import java.net.InetAddress;

/** Where a request may go: the URL's host and port, and the checked address to dial for them. */
public record Destination(String host, int port, InetAddress address) {}
