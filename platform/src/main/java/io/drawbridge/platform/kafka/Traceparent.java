package io.drawbridge.platform.kafka;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * W3C trace context values. Events get one even without a tracer on the classpath, so a download can be
 * followed through the logs of every service that handled it.
 */
public final class Traceparent {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern VALID = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    private Traceparent() {}

    /** A new sampled root trace: {@code 00-<trace-id>-<span-id>-01}. */
    public static String generate() {
        byte[] traceId = new byte[16];
        byte[] spanId = new byte[8];
        RANDOM.nextBytes(traceId);
        RANDOM.nextBytes(spanId);
        return "00-" + HexFormat.of().formatHex(traceId) + "-" + HexFormat.of().formatHex(spanId) + "-01";
    }

    /** {@code candidate} when it is a well-formed traceparent, a new one otherwise. */
    public static String orGenerate(String candidate) {
        return candidate != null && VALID.matcher(candidate).matches() ? candidate : generate();
    }
}
