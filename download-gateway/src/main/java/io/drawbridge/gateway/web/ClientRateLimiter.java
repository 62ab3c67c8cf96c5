package io.drawbridge.gateway.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A token bucket per client address, in memory and bounded: at most {@code maxClients} addresses are remembered,
 * the least recently seen forgotten first (a forgotten address simply starts again with a full bucket). Each
 * gateway instance limits on its own; that is enough to blunt link guessing and hammering, which is its job.
 */
final class ClientRateLimiter {

    private final int capacity;
    private final long refillNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets;

    ClientRateLimiter(int capacity, Duration refillPeriod, int maxClients, LongSupplier nanoTime) {
        this.capacity = capacity;
        this.refillNanos = Math.max(1, refillPeriod.toNanos());
        this.nanoTime = nanoTime;
        this.buckets = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxClients;
            }
        };
    }

    /** Takes one request from the client's bucket; empty if allowed, else how long until one is available. */
    Optional<Duration> tryAcquire(String client) {
        return tryAcquire(client, 1);
    }

    /**
     * Takes {@code permits} at once (all or none; more than the capacity count as the capacity, so that a large
     * request waits for a full bucket rather than forever); empty if allowed, else how long until they are there.
     */
    synchronized Optional<Duration> tryAcquire(String client, int permits) {
        int wanted = Math.max(1, Math.min(permits, capacity));
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(client, c -> new Bucket(capacity, now));
        long elapsed = now - bucket.updatedAt;
        if (elapsed >= refillNanos) {
            long refills = elapsed / refillNanos;
            bucket.tokens = (int) Math.min(capacity, bucket.tokens + refills);
            bucket.updatedAt = bucket.tokens == capacity ? now : bucket.updatedAt + refills * refillNanos;
        }
        if (bucket.tokens >= wanted) {
            bucket.tokens -= wanted;
            return Optional.empty();
        }
        long wait = (wanted - bucket.tokens) * refillNanos - (now - bucket.updatedAt);
        return Optional.of(Duration.ofNanos(Math.max(wait, 1)));
    }

    synchronized int trackedClients() {
        return buckets.size();
    }

    private static final class Bucket {
        int tokens;
        long updatedAt;

        Bucket(int tokens, long updatedAt) {
            this.tokens = tokens;
            this.updatedAt = updatedAt;
        }
    }
}
