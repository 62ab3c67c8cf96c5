package io.drawbridge.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.drawbridge.gateway.config.GatewayProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

class StreamAdmissionTest {

    private static final long MAX_DIRECT = 512L * 1024 * 1024;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong usedDirect = new AtomicLong();

    private StreamAdmission admission(int maxConcurrent, DataSize headroom) {
        return new StreamAdmission(properties(maxConcurrent, headroom), meters, MAX_DIRECT, usedDirect::get);
    }

    @Test
    void streamsBeyondTheLimitAreRefusedUntilOneEnds() {
        StreamAdmission admission = admission(2, DataSize.ofMegabytes(64));

        Optional<StreamAdmission.Stream> first = admission.admit();
        Optional<StreamAdmission.Stream> second = admission.admit();
        Optional<StreamAdmission.Stream> third = admission.admit();

        assertThat(first).isPresent();
        assertThat(second).isPresent();
        assertThat(third).isEmpty();
        assertThat(admission.active()).isEqualTo(2);
        first.get().close();
        first.get().close(); // once only
        assertThat(admission.active()).isEqualTo(1);
        assertThat(admission.admit()).isPresent();
        assertThat(meters.counter("drawbridge.streams.refused", "limit", "streams")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aNewStreamIsRefusedWhenDirectMemoryRunsLowAndAdmittedWhenItIsBack() {
        StreamAdmission admission = admission(1000, DataSize.ofMegabytes(64));
        usedDirect.set(MAX_DIRECT - DataSize.ofMegabytes(63).toBytes());

        assertThat(admission.admit()).isEmpty();
        assertThat(admission.active()).isZero();
        assertThat(meters.counter("drawbridge.streams.refused", "limit", "direct_memory")
                        .count())
                .isEqualTo(1);

        usedDirect.set(MAX_DIRECT - DataSize.ofMegabytes(65).toBytes());
        assertThat(admission.admit()).isPresent();
    }

    @Test
    void theRefusalIsStorageUnavailableWithRetryAfter() {
        DownloadRefused refusal = admission(1, DataSize.ofMegabytes(64)).refusal();

        assertThat(refusal.error()).isEqualTo(PublicError.STORAGE_UNAVAILABLE);
        assertThat(refusal.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(refusal.retryAfter()).hasValue(Duration.ofSeconds(7));
        assertThat(refusal.detail()).isPresent();
    }

    static GatewayProperties properties(int maxConcurrent, DataSize headroom) {
        return new GatewayProperties(
                URI.create("http://localhost"),
                "stream-admission-test-grant-secret-0123456789",
                false,
                Duration.ofSeconds(3),
                Duration.ofSeconds(7),
                java.util.List.of(),
                Duration.ZERO,
                "test",
                new GatewayProperties.Seller("Drawbridge", "#1f4e79"),
                new GatewayProperties.TokenService(
                        URI.create("http://localhost:1"), "unused", Duration.ofSeconds(2), DataSize.ofMegabytes(8)),
                new GatewayProperties.Storage(
                        "http://localhost:1",
                        "key",
                        "secret",
                        "drawbridge",
                        "us-east-1",
                        DataSize.ofKilobytes(64),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(60),
                        4),
                new GatewayProperties.RateLimit(
                        true,
                        new GatewayProperties.Bucket(60, Duration.ofSeconds(1)),
                        new GatewayProperties.Bucket(20, Duration.ofSeconds(3)),
                        1000,
                        new GatewayProperties.Bucket(5, Duration.ofMinutes(12)),
                        new GatewayProperties.Bucket(2048, Duration.ofMillis(1758)),
                        new GatewayProperties.Bucket(60, Duration.ofSeconds(1))),
                new GatewayProperties.Zip(1, "download.zip"),
                new GatewayProperties.Reports(java.nio.file.Path.of("target/reports"), Duration.ofSeconds(10)),
                new GatewayProperties.Streams(maxConcurrent, headroom));
    }
}
