package io.drawbridge.console.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drawbridge.platform.web.ProblemException;
import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

/** Literal addresses only: no name is resolved, so the test needs no DNS. */
class EndpointAddressesTest {

    private final EndpointAddresses production = new EndpointAddresses(false, false);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://127.0.0.1/hook",
                "https://[::1]/hook",
                "https://10.1.2.3/hook",
                "https://172.16.0.9/hook",
                "https://192.168.1.1/hook",
                "https://169.254.169.254/latest/meta-data/",
                "https://100.64.0.1/hook",
                "https://0.0.0.0/hook",
                "https://[fd00::1]/hook",
                "https://[fe80::1]/hook",
                "https://[::ffff:10.0.0.1]/hook"
            })
    void internalAddressesAreRefusedInProduction(String url) {
        StepVerifier.create(production.check(production.parse(url)))
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(ProblemException.class)
                        .hasMessageContaining("validation_failed")
                        .hasMessageContaining("internal address"))
                .verify();
    }

    @Test
    void aPublicAddressPassesAndTheDevStackMayUseLoopback() {
        URI url = production.parse("https://93.184.215.14/hooks/drawbridge?tenant=7");
        StepVerifier.create(production.check(url)).expectNext(url).verifyComplete();

        EndpointAddresses devStack = new EndpointAddresses(true, true);
        URI local = devStack.parse("http://127.0.0.1:8099/hook");
        StepVerifier.create(devStack.check(local)).expectNext(local).verifyComplete();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not a url",
                "http://93.184.215.14/hook",
                "ftp://93.184.215.14/hook",
                "/relative/hook",
                "https://user:pass@93.184.215.14/hook",
                "https://93.184.215.14/hook#fragment"
            })
    void malformedPlainHttpOrCredentialBearingUrlsAreRefused(String url) {
        assertThatThrownBy(() -> production.parse(url))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).error()).isEqualTo("validation_failed"));
    }

    @Test
    void addressClassesAreToldApart() throws Exception {
        assertThat(EndpointAddresses.internal(InetAddress.getByName("8.8.8.8"))).isFalse();
        assertThat(EndpointAddresses.internal(InetAddress.getByName("2001:4860:4860::8888")))
                .isFalse();
        assertThat(EndpointAddresses.internal(InetAddress.getByName("100.128.0.1")))
                .isFalse();
        assertThat(EndpointAddresses.internal(InetAddress.getByName("100.127.255.254")))
                .isTrue();
    }
}
