package io.drawbridge.gateway.web;

import io.drawbridge.gateway.config.GatewayProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Decides whether the gateway starts one more download stream. A stream in flight must never be the one that fails
 * for want of memory: under pressure the gateway refuses new streams instead (503 {@code storage_unavailable} with
 * {@code Retry-After}), before anything is committed. Two limits: streams at once ({@code streams.max-concurrent})
 * and direct memory left ({@code streams.direct-memory-headroom} below the JVM's direct memory limit, counting both
 * Netty's own counter and the JVM's direct buffer pool, whichever this JVM uses).
 */
@Component
public class StreamAdmission {

    private static final Logger log = LoggerFactory.getLogger(StreamAdmission.class);
    private static final String BUSY = "The server is busy right now. Please try again in a few seconds.";

    private final int maxConcurrent;
    private final long headroom;
    private final long maxDirectMemory;
    private final LongSupplier usedDirectMemory;
    private final Duration retryAfter;
    private final AtomicInteger active = new AtomicInteger();
    private final Counter refusedStreams;
    private final Counter refusedMemory;

    @Autowired
    StreamAdmission(GatewayProperties properties, MeterRegistry meters) {
        this(properties, meters, PlatformDependent.maxDirectMemory(), StreamAdmission::usedDirectMemory);
    }

    StreamAdmission(
            GatewayProperties properties, MeterRegistry meters, long maxDirectMemory, LongSupplier usedDirectMemory) {
        this.maxConcurrent = properties.streams().maxConcurrent();
        this.headroom = properties.streams().directMemoryHeadroom().toBytes();
        this.maxDirectMemory = maxDirectMemory;
        this.usedDirectMemory = usedDirectMemory;
        this.retryAfter = properties.retryAfter();
        Gauge.builder("drawbridge.streams.active", active, AtomicInteger::get)
                .description("Download streams in flight")
                .register(meters);
        Gauge.builder("drawbridge.direct.memory.used", usedDirectMemory::getAsLong)
                .description("Direct memory in use (Netty's counter plus the JVM's direct buffer pool)")
                .baseUnit("bytes")
                .register(meters);
        Gauge.builder("drawbridge.direct.memory.max", () -> maxDirectMemory)
                .description("The JVM's direct memory limit")
                .baseUnit("bytes")
                .register(meters);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            Gauge.builder("drawbridge.netty.direct.memory.used", provider, p -> p.metric()
                            .usedDirectMemory())
                    .description("Direct memory Netty's default allocator holds (in use or cached)")
                    .baseUnit("bytes")
                    .register(meters);
        }
        refusedStreams = refusals(meters, "streams");
        refusedMemory = refusals(meters, "direct_memory");
    }

    private static Counter refusals(MeterRegistry meters, String limit) {
        return Counter.builder("drawbridge.streams.refused")
                .description("Download streams refused before they started, by the limit they met")
                .tag("limit", limit)
                .register(meters);
    }

    /** A started stream, to be closed once when it ends; empty (and counted) when the stream must not start. */
    public Optional<Stream> admit() {
        if (active.incrementAndGet() > maxConcurrent) {
            active.decrementAndGet();
            refusedStreams.increment();
            log.warn("Refused a download stream: {} streams in flight", maxConcurrent);
            return Optional.empty();
        }
        long used = usedDirectMemory.getAsLong();
        if (maxDirectMemory - used < headroom) {
            active.decrementAndGet();
            refusedMemory.increment();
            log.warn("Refused a download stream: direct memory {} of {} bytes in use", used, maxDirectMemory);
            return Optional.empty();
        }
        return Optional.of(new Stream());
    }

    /** The answer to a stream that must not start. */
    public DownloadRefused refusal() {
        return DownloadRefused.of(PublicError.STORAGE_UNAVAILABLE, BUSY).retryAfter(retryAfter);
    }

    int active() {
        return active.get();
    }

    /**
     * Direct memory in use: Netty's own counter, which counts only its buffers without a cleaner (and is -1 when it
     * does not use those), plus the JVM's direct buffer pool, which counts every other direct buffer.
     */
    static long usedDirectMemory() {
        long netty = Math.max(0, PlatformDependent.usedDirectMemory());
        long jvm = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                jvm = pool.getMemoryUsed();
            }
        }
        return netty + jvm;
    }

    /** One admitted stream. */
    public final class Stream implements AutoCloseable {
        private boolean closed;

        private Stream() {}

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                active.decrementAndGet();
            }
        }
    }
}
