package dev.ferry.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Resolves a host name to its addresses: the system's resolver, or a test's. */
@FunctionalInterface
public interface Resolver {
    Resolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
