package io.drawbridge.order.antistock.client;

import java.time.Duration;

/**
 * Antistock could not answer now (5xx, 429, timeout, connection refused): worth retrying with backoff, and what
 * opens the circuit breaker when it keeps happening.
 */
public class AntistockUnavailableException extends RuntimeException {

    public AntistockUnavailableException(String message) {
        super(message, null, false, false);
    }

    public AntistockUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** The wait Antistock asked for with {@code Retry-After}, for a throttled call. */
    public static AntistockUnavailableException throttled(String path, Duration retryAfter) {
        return new AntistockUnavailableException(
                "Antistock throttled GET " + path + " (429, Retry-After " + retryAfter.toSeconds() + "s)");
    }
}
