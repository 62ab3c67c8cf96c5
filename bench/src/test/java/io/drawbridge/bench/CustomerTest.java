package io.drawbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CustomerTest {

    @Test
    void aGrantIsA200WithADownloadUrl() {
        Customer.Reply reply = parse("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n"
                + "{\"download_url\":\"http://x/dl/a\",\"n\":1}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.granted()).isTrue();
    }

    @Test
    void aRefusalIsNamedByItsProblemErrorCode() {
        Customer.Reply reply = parse("HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/problem+json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n"
                + "10\r\n{\"status\":429,\"e\r\n"
                + "1d\r\nrror\":\"usage_limit_exceeded\"}\r\n0\r\n\r\n");

        assertThat(reply.outcome()).isEqualTo("usage_limit_exceeded");
        assertThat(reply.granted()).isFalse();
    }

    @Test
    void aBodyThatIsNotJsonIsNamedByItsStatus() {
        assertThat(parse("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 3\r\n\r\nbad")
                        .outcome())
                .isEqualTo("http_502");
        assertThat(parse("garbage").outcome()).isEqualTo("malformed_response");
    }

    @Test
    void percentilesAreNearestRankOfTheSortedSamples() {
        long[] sorted = new long[100];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = (i + 1) * 1_000_000L; // 1 ms ... 100 ms
        }

        assertThat(ClosedLoop.millis(sorted, 0.50)).isEqualTo(50.0);
        assertThat(ClosedLoop.millis(sorted, 0.99)).isEqualTo(99.0);
        assertThat(ClosedLoop.millis(sorted, 1.0)).isEqualTo(100.0);
        assertThat(ClosedLoop.millis(new long[] {7_000_000L}, 0.99)).isEqualTo(7.0);
    }

    @Test
    void sourceAddressesAreDistinctLoopbackAddressesOutsideTheLowRange() {
        SourceAddresses addresses = new SourceAddresses();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 70_000; i++) {
            byte[] address = addresses.next().getAddress();
            assertThat(address[0]).isEqualTo((byte) 127);
            assertThat(address[1] & 0xff).isGreaterThanOrEqualTo(16);
            assertThat(address[3] & 0xff).isBetween(1, 254);
            seen.add(java.util.Arrays.toString(address));
        }
        assertThat(seen).hasSize(70_000);
    }

    private static Customer.Reply parse(String raw) {
        return Customer.parse(raw.getBytes(StandardCharsets.ISO_8859_1));
    }
}
