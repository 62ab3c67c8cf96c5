package io.drawbridge.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClientRateLimiterTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void aClientMayBurstUpToCapacityThenWaitsForARefill() {
        ClientRateLimiter limiter = new ClientRateLimiter(3, Duration.ofSeconds(2), 100, nanos::get);

        assertThat(limiter.tryAcquire("10.0.0.1")).isEmpty();
        assertThat(limiter.tryAcquire("10.0.0.1")).isEmpty();
        assertThat(limiter.tryAcquire("10.0.0.1")).isEmpty();
        assertThat(limiter.tryAcquire("10.0.0.1")).contains(Duration.ofSeconds(2));

        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(limiter.tryAcquire("10.0.0.1")).contains(Duration.ofMillis(1500));

        nanos.addAndGet(Duration.ofMillis(1500).toNanos());
        assertThat(limiter.tryAcquire("10.0.0.1")).isEmpty();
        assertThat(limiter.tryAcquire("10.0.0.1")).isPresent();
    }

    @Test
    void severalPermitsAreTakenAllOrNoneAndWaitForAsManyRefills() {
        ClientRateLimiter limiter = new ClientRateLimiter(10, Duration.ofSeconds(1), 100, nanos::get);

        assertThat(limiter.tryAcquire("10.0.0.1", 7)).isEmpty();
        assertThat(limiter.tryAcquire("10.0.0.1", 4)).as("3 left: none taken").contains(Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire("10.0.0.1", 3)).isEmpty();
        assertThat(limiter.tryAcquire("10.0.0.1", 2)).contains(Duration.ofSeconds(2));

        nanos.addAndGet(Duration.ofMillis(1500).toNanos());
        assertThat(limiter.tryAcquire("10.0.0.1", 2)).contains(Duration.ofMillis(500));
        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(limiter.tryAcquire("10.0.0.1", 2)).isEmpty();
    }

    @Test
    void moreThanTheCapacityWaitsForAFullBucketInsteadOfForever() {
        ClientRateLimiter limiter = new ClientRateLimiter(4, Duration.ofSeconds(1), 100, nanos::get);

        assertThat(limiter.tryAcquire("10.0.0.1", 1)).isEmpty();
        assertThat(limiter.tryAcquire("10.0.0.1", Integer.MAX_VALUE)).contains(Duration.ofSeconds(1));
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(limiter.tryAcquire("10.0.0.1", Integer.MAX_VALUE)).isEmpty();
        assertThat(limiter.tryAcquire("10.0.0.1")).isPresent();
    }

    @Test
    void clientsHaveTheirOwnBuckets() {
        ClientRateLimiter limiter = new ClientRateLimiter(1, Duration.ofSeconds(2), 100, nanos::get);

        assertThat(limiter.tryAcquire("10.0.0.1")).isEmpty();
        assertThat(limiter.tryAcquire("10.0.0.1")).isPresent();
        assertThat(limiter.tryAcquire("10.0.0.2")).isEmpty();
    }

    @Test
    void itRemembersABoundedNumberOfClients() {
        ClientRateLimiter limiter = new ClientRateLimiter(1, Duration.ofSeconds(2), 10, nanos::get);

        for (int i = 0; i < 1000; i++) {
            limiter.tryAcquire("10.0." + (i / 256) + "." + (i % 256));
        }

        assertThat(limiter.trackedClients()).isEqualTo(10);
    }

    @Test
    void aFullBucketDoesNotOverfill() {
        ClientRateLimiter limiter = new ClientRateLimiter(2, Duration.ofSeconds(1), 100, nanos::get);
        limiter.tryAcquire("10.0.0.1");

        nanos.addAndGet(Duration.ofHours(1).toNanos());

        assertThat(limiter.tryAcquire("10.0.0.1")).isEmpty();
        assertThat(limiter.tryAcquire("10.0.0.1")).isEmpty();
        assertThat(limiter.tryAcquire("10.0.0.1")).isPresent();
    }
}
