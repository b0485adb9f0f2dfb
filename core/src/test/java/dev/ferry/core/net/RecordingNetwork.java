package dev.ferry.core.net;

import dev.ferry.core.model.HttpCallResult;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A resolver and a transport that never touch the network: names resolve to what the test says,
 * and every hop that would be dialled is recorded and answered by the test's function.
 */
final class RecordingNetwork implements Resolver, Transport {
    final Map<String, InetAddress[]> names = new HashMap<>();
    final List<String> lookups = new ArrayList<>();
    final List<Hop> dialled = new ArrayList<>();
    Function<Hop, HttpCallResult> answer = hop -> new HttpCallResult(200, Map.of(), new byte[0]);

    RecordingNetwork name(String host, String... addresses) {
        InetAddress[] out = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) out[i] = address(addresses[i]);
        names.put(host, out);
        return this;
    }

    static InetAddress address(String literal) {
        return Addresses.literal(literal).orElseThrow();
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        lookups.add(host);
        InetAddress[] a = names.get(host);
        if (a == null) throw new UnknownHostException(host);
        return a;
    }

    @Override
    public HttpCallResult exchange(Hop hop, Duration timeout) {
        dialled.add(hop);
        return answer.apply(hop);
    }
}
