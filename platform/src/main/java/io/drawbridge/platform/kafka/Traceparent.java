package io.drawbridge.platform.kafka;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C trace context values. Events get one even without a tracer on the classpath, so a download can be
 * followed through the logs of every service that handled it.
 */
public final class Traceparent {

    private static final Pattern VALID = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    private Traceparent() {}

    /**
     * A new sampled root trace: {@code 00-<trace-id>-<span-id>-01}. Trace ids identify, they protect nothing, so
     * they come from a fast non-blocking generator: a {@code SecureRandom} may read {@code /dev/urandom} on the
     * calling thread, and this runs on Netty event loops.
     */
    public static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long traceHigh = random.nextLong();
        long traceLow = random.nextLong() | 1L; // never the all-zero id the spec forbids
        long span = random.nextLong() | 1L;
        HexFormat hex = HexFormat.of();
        return "00-" + hex.toHexDigits(traceHigh) + hex.toHexDigits(traceLow) + "-" + hex.toHexDigits(span) + "-01";
    }

    /** {@code candidate} when it is a well-formed traceparent, a new one otherwise. */
    public static String orGenerate(String candidate) {
        return candidate != null && VALID.matcher(candidate).matches() ? candidate : generate();
    }
}
