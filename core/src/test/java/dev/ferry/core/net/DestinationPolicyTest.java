package dev.ferry.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.core.model.HttpCallRequest;
import dev.ferry.core.model.HttpCallResult;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The destination policy against every address form an attacker can spell, through an injected
 * resolver and a transport that records what would be dialled and never connects: each refused
 * case dials nothing.
 */
class DestinationPolicyTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static int tried;
    private static int refused;
    private static int dialled;

    private final RecordingNetwork net = new RecordingNetwork();

    private OutboundHttpCaller caller(DestinationPolicy policy) {
        return new OutboundHttpCaller(policy, net, net, CLOCK);
    }

    private void assertRefused(DestinationPolicy policy, String url, String reason) {
        tried++;
        assertThatThrownBy(() -> caller(policy).call(get(url)))
                .isInstanceOf(RefusedDestinationException.class)
                .hasMessageContaining(reason);
        refused++;
        dialled += net.dialled.size();
        assertThat(net.dialled).as("nothing dialled for " + url).isEmpty();
    }

    private static HttpCallRequest get(String url) {
        return new HttpCallRequest("GET", url, Map.of(), null, Duration.ofSeconds(5));
    }

    @AfterAll
    static void counts() {
        System.out.println("destination policy cases: tried " + tried + ", refused " + refused + ", dialled " + dialled);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1/", "http://2130706433/", "http://0x7f000001/",
            "http://017700000001/", "http://0177.0.0.1/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:7f00:1]/", "http://localhost/", "http://api.localhost/", "http://LOCALHOST./"})
    void loopbackInEverySpellingIsRefusedOnAws(String url) {
        assertRefused(DestinationPolicy.publicOnly(), url, "loopback");
        assertThat(net.lookups).as("literals are never looked up").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/latest/meta-data/",
            "http://169.254.170.2/v2/credentials", "http://2852039166/", "http://0xa9fea9fe/", "http://[::ffff:169.254.169.254]/"})
    void instanceMetadataIsRefusedEvenWhenEverythingIsListed(String url) {
        DestinationPolicy listedAll = DestinationPolicy.publicOnly()
                .allowing(Cidr.parseList("0.0.0.0/0, ::/0")).withLoopback(Map.of());
        assertRefused(listedAll, url, "own services");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.1.1/", "http://[fe80::1]/", "http://[fe80::1%251]/"})
    void linkLocalIsRefused(String url) {
        assertRefused(DestinationPolicy.publicOnly().allowing(Cidr.parseList("169.254.0.0/16")), url, "link-local");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.5/", "http://172.16.0.1/", "http://172.31.255.255/", "http://192.168.1.1/",
            "http://[fec0::1]/", "http://012.0.0.5/", "http://[::ffff:10.0.0.5]/", "http://[64:ff9b::a00:5]/",
            "http://[2002:a00:5::]/"})
    void privateAddressesAreRefused(String url) {
        assertRefused(DestinationPolicy.publicOnly(), url, "private");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://100.64.0.1/", "http://100.127.255.254/"})
    void cgnatIsRefused(String url) {
        assertRefused(DestinationPolicy.publicOnly(), url, "carrier-grade NAT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://[fc00::1]/", "http://[fd12:3456::1]/"})
    void uniqueLocalIpv6IsRefused(String url) {
        assertRefused(DestinationPolicy.publicOnly(), url, "unique local");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://0.0.0.0/", "http://0/", "http://[::]/", "http://0.1.2.3/"})
    void unspecifiedIsRefused(String url) {
        assertRefused(DestinationPolicy.publicOnly().withLoopback(Map.of()), url, "unspecified");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://224.0.0.1/", "http://255.255.255.255/", "http://[ff02::1]/"})
    void multicastAndBroadcastAreRefused(String url) {
        assertRefused(DestinationPolicy.publicOnly(), url, "multicast");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://[::127.0.0.1]/", "http://[::8.8.8.8]/", "http://[2001::1]/", "http://240.0.0.1/",
            "http://192.0.2.1/", "http://198.18.0.1/"})
    void reservedAndDeprecatedFormsAreRefused(String url) {
        assertRefused(DestinationPolicy.publicOnly(), url, "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://0x100000000/", "http://1.2.3.09/", "http://4294967296/"})
    void aNumericHostThatIsNoAddressIsRefused(String url) {
        assertRefused(DestinationPolicy.publicOnly(), url, "not a valid one");
    }

    /** Short dotted forms java.net.URI does not take as a host at all: refused before any lookup. */
    @ParameterizedTest
    @ValueSource(strings = {"http://127.1/", "http://0x7f.1/", "http://1.2.3.4.5/", "http://256.0.0.1/"})
    void shortDottedFormsAreNotUrlsAtAll(String url) {
        tried++;
        assertThatThrownBy(() -> caller(DestinationPolicy.publicOnly()).call(get(url)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an absolute http(s) URL");
        refused++;
        assertThat(net.lookups).isEmpty();
        assertThat(net.dialled).isEmpty();
    }

    @Test
    void aNameResolvingToAnyForbiddenAddressIsRefusedAndNothingIsDialled() {
        net.name("rebind.example", "93.184.216.34", "10.1.2.3");
        assertRefused(DestinationPolicy.publicOnly(), "https://rebind.example/hook", "rebind.example resolves to 10.1.2.3");
        assertThat(net.lookups).containsExactly("rebind.example");
    }

    @Test
    void aNameResolvingToMetadataIsRefused() {
        net.name("metadata.example", "169.254.169.254");
        assertRefused(DestinationPolicy.publicOnly(), "http://metadata.example/", "metadata.example resolves to 169.254.169.254");
    }

    @Test
    void aNameResolvingToAMappedAddressIsJudgedByTheAddressInside() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 127;
        mapped[15] = 1;
        net.names.put("mapped.example", new InetAddress[] {Inet6Address.getByAddress("mapped.example", mapped, -1)});
        assertRefused(DestinationPolicy.publicOnly(), "http://mapped.example/", "loopback");
    }

    @Test
    void aPublicNameIsDialledAtTheAddressThatWasChecked() throws Exception {
        net.name("api.example", "93.184.216.34");
        HttpCallResult r = caller(DestinationPolicy.publicOnly()).call(get("https://api.example/orders?id=1"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(net.lookups).containsExactly("api.example");
        assertThat(net.dialled).singleElement().satisfies(hop -> {
            assertThat(hop.address().getHostAddress()).isEqualTo("93.184.216.34");
            assertThat(hop.url().getHost()).isEqualTo("api.example");
        });
    }

    @Test
    void aListedPrivateRangeIsAllowedAndOthersStayRefused() throws Exception {
        DestinationPolicy vpn = DestinationPolicy.publicOnly().allowing(Cidr.parseList("10.20.0.0/16"));
        net.name("partner.internal", "10.20.3.4");
        assertThat(caller(vpn).call(get("http://partner.internal/")).status()).isEqualTo(200);
        assertThat(net.dialled).hasSize(1);
        net.dialled.clear();
        assertRefused(vpn, "http://10.21.0.1/", "private");
        assertRefused(vpn, "http://127.0.0.1/", "loopback");
    }

    @Test
    void theLocalStackAllowsLoopbackButNeverItsOwnPorts() throws Exception {
        DestinationPolicy local = DestinationPolicy.publicOnly().withLoopback(
                Map.of(4566, "the local stack's AWS emulator", 3000, "the local stack's HTTP API", 3001, "the local stack's Lambda API"));
        assertThat(caller(local).call(get("http://127.0.0.1:8080/mock")).status()).isEqualTo(200);
        net.dialled.clear();
        assertRefused(local, "http://127.0.0.1:4566/", "AWS emulator");
        assertRefused(local, "http://localhost:3000/instances", "HTTP API");
        assertRefused(local, "http://127.0.0.2:3001/2015-03-31/functions/ReplayFunction/invocations", "Lambda API");
        assertRefused(local, "http://[::ffff:127.0.0.1]:4566/", "AWS emulator");
        assertRefused(local, "http://10.0.0.1:8080/", "private");
    }

    @Test
    void everyRedirectHopIsCheckedAgain() {
        net.name("public.example", "93.184.216.34");
        net.answer = hop -> new HttpCallResult(302, Map.of("Location", "http://169.254.169.254/latest/meta-data/"), new byte[0]);
        tried++;
        assertThatThrownBy(() -> caller(DestinationPolicy.publicOnly()).call(get("http://public.example/start")))
                .isInstanceOf(RefusedDestinationException.class).hasMessageContaining("169.254.169.254");
        refused++;
        assertThat(net.dialled).extracting(h -> h.url().getHost()).containsExactly("public.example");
    }

    @Test
    void credentialsAreNotCarriedToAnotherHost() throws Exception {
        net.name("a.example", "93.184.216.34").name("b.example", "93.184.216.35");
        net.answer = hop -> hop.url().getHost().equals("a.example")
                ? new HttpCallResult(307, Map.of("Location", hop.url().getPath().equals("/same") ? "/next" : "https://b.example/in"), new byte[0])
                : new HttpCallResult(200, Map.of(), new byte[0]);
        Map<String, String> headers = Map.of("Authorization", "Bearer s3cret", "X-Api-Key", "k", "Cookie", "c=1",
                "X-Request-Id", "r-1", "Accept", "application/json");

        caller(DestinationPolicy.publicOnly()).call(new HttpCallRequest("POST", "https://a.example/same", headers,
                new byte[] {1}, Duration.ofSeconds(5)));

        assertThat(net.dialled).hasSize(3);
        assertThat(net.dialled.get(1).url().toString()).isEqualTo("https://a.example/next");
        assertThat(net.dialled.get(1).headers()).containsKeys("Authorization", "X-Api-Key", "Cookie");
        assertThat(net.dialled.get(2).url().getHost()).isEqualTo("b.example");
        assertThat(net.dialled.get(2).headers()).containsOnlyKeys("X-Request-Id", "Accept");
        assertThat(net.dialled.get(2).body()).containsExactly(1);
    }

    @Test
    void httpsToHttpIsNotFollowedAndRedirectsEnd() throws Exception {
        net.name("a.example", "93.184.216.34");
        net.answer = hop -> new HttpCallResult(302, Map.of("Location", "http://a.example/plain"), new byte[0]);
        assertThat(caller(DestinationPolicy.publicOnly()).call(get("https://a.example/")).status()).isEqualTo(302);

        net.dialled.clear();
        net.answer = hop -> new HttpCallResult(302, Map.of("Location", "/loop"), new byte[0]);
        assertThatThrownBy(() -> caller(DestinationPolicy.publicOnly()).call(get("https://a.example/")))
                .hasMessageContaining("more than 5 redirects");
        assertThat(net.dialled).hasSize(6);
    }

    @Test
    void aSeeOtherTurnsAPostIntoAGetWithoutItsBody() throws Exception {
        net.name("a.example", "93.184.216.34");
        net.answer = hop -> hop.method().equals("POST")
                ? new HttpCallResult(303, Map.of("Location", "/result"), new byte[0])
                : new HttpCallResult(200, Map.of(), new byte[0]);
        caller(DestinationPolicy.publicOnly()).call(new HttpCallRequest("POST", "https://a.example/jobs",
                Map.of("Content-Type", "application/json"), new byte[] {1}, Duration.ofSeconds(5)));
        assertThat(net.dialled.get(1).method()).isEqualTo("GET");
        assertThat(net.dialled.get(1).body()).isNull();
        assertThat(net.dialled.get(1).headers()).doesNotContainKey("Content-Type");
    }

    @Test
    void checkingWithoutALookupRefusesLiteralsAndOwnPortsOnly() {
        DestinationPolicy local = DestinationPolicy.publicOnly().withLoopback(Map.of(4566, "the local stack's AWS emulator"));
        OutboundHttpCaller c = caller(local);
        assertThatThrownBy(() -> c.checkDestination("http://127.0.0.1:4566/")).isInstanceOf(RefusedDestinationException.class);
        assertThatThrownBy(() -> c.checkDestination("http://169.254.169.254/")).isInstanceOf(RefusedDestinationException.class);
        c.checkDestination("http://127.0.0.1:8080/hook");
        c.checkDestination("https://hooks.example.com/x");
        assertThat(net.lookups).isEmpty();
    }

    @Test
    void cidrsParseAndMatch() {
        assertThat(Cidr.parse("10.0.0.0/8").contains(RecordingNetwork.address("10.255.0.1"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(RecordingNetwork.address("11.0.0.1"))).isFalse();
        assertThat(Cidr.parse("fd12::/16").contains(RecordingNetwork.address("[fd12:1::1]"))).isTrue();
        assertThat(Cidr.parseList(" ")).isEmpty();
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThat(DestinationPolicy.fromEnv(Map.of(DestinationPolicy.ALLOWED_CIDRS_ENV, "10.0.0.0/8",
                DestinationPolicy.LOOPBACK_ENV, "allow", DestinationPolicy.DENIED_PORTS_ENV, "4566=the emulator")).allowsLoopback())
                .isTrue();
        assertThat(List.of(DestinationPolicy.publicOnly().allowsLoopback())).containsExactly(false);
    }
}
