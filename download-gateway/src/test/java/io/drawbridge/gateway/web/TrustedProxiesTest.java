package io.drawbridge.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    private final TrustedProxies proxies = new TrustedProxies(List.of("10.0.0.0/8", "192.0.2.1", "fd00::/8"));

    @Test
    void aPeerOutsideTheRangesIsTheClientWhateverItForwards() {
        InetSocketAddress peer = address("203.0.113.5");
        assertThat(proxies.clientOf(peer, List.of("198.51.100.1"))).isSameAs(peer);
    }

    @Test
    void noRangesMeansNoProxyIsBelieved() {
        InetSocketAddress peer = address("10.1.1.1");
        assertThat(new TrustedProxies(List.of()).clientOf(peer, List.of("198.51.100.1")))
                .isSameAs(peer);
    }

    @Test
    void theClientIsTheRightMostHopThatIsNotATrustedProxy() {
        assertThat(host(proxies.clientOf(address("10.0.0.7"), List.of("6.6.6.6, 198.51.100.1, 10.2.3.4"))))
                .isEqualTo("198.51.100.1");
        assertThat(host(proxies.clientOf(address("192.0.2.1"), List.of("6.6.6.6", "198.51.100.1"))))
                .isEqualTo("198.51.100.1");
        assertThat(host(proxies.clientOf(address("fd12::1"), List.of("2001:db8::7"))))
                .isEqualTo("2001:db8:0:0:0:0:0:7");
    }

    @Test
    void aHopThatIsNotAnAddressEndsTheWalk() {
        assertThat(host(proxies.clientOf(address("10.0.0.7"), List.of("198.51.100.1, evil.example, 10.9.9.9"))))
                .isEqualTo("10.9.9.9");
        assertThat(host(proxies.clientOf(address("10.0.0.7"), List.of("unknown"))))
                .isEqualTo("10.0.0.7");
    }

    @Test
    void aChainOfOnlyTrustedProxiesEndsAtTheLeftMost() {
        assertThat(host(proxies.clientOf(address("10.0.0.7"), List.of("10.0.0.1, 10.0.0.2"))))
                .isEqualTo("10.0.0.1");
    }

    @Test
    void aHugeHeaderIsNotWalkedToTheEnd() {
        String many = "198.51.100.1, " + "10.0.0.1, ".repeat(10_000) + "10.0.0.2";
        assertThat(host(proxies.clientOf(address("10.0.0.7"), List.of(many)))).startsWith("10.");
    }

    @Test
    void rangesMustBeAddressLiteralsNeverNames() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TrustedProxies(List.of("ingress.internal")));
        assertThatIllegalArgumentException().isThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/33")));
        assertThatIllegalArgumentException().isThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/x")));
    }

    private static InetSocketAddress address(String literal) {
        return new InetSocketAddress(TrustedProxies.literal(literal), 40000);
    }

    private static String host(InetSocketAddress address) {
        return address.getAddress().getHostAddress();
    }
}
