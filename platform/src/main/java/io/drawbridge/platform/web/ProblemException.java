package io.drawbridge.platform.web;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * An expected failure with a stable machine code, rendered by the platform as an RFC 9457 problem ({@code
 * type: https://drawbridge.dev/problems/<error>}). Throw it (or return {@code Mono.error}) from handlers and
 * filters instead of building error responses by hand, so every service answers errors the same way.
 */
public class ProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String error;
    private final String detail;
    private final Duration retryAfter;

    /**
     * @param status the HTTP status
     * @param error the machine code, snake_case (e.g. {@code token_expired}); also the last segment of {@code type}
     * @param detail a human sentence for this occurrence; never contains a token or a secret
     */
    public ProblemException(HttpStatus status, String error, String detail) {
        this(status, error, detail, null, null);
    }

    /** As {@link #ProblemException(HttpStatus, String, String)}, keeping the underlying failure for the logs. */
    public ProblemException(HttpStatus status, String error, String detail, Throwable cause) {
        this(status, error, detail, null, cause);
    }

    private ProblemException(HttpStatus status, String error, String detail, Duration retryAfter, Throwable cause) {
        super(error + ": " + detail, cause, false, false);
        this.status = Objects.requireNonNull(status, "status");
        this.error = Objects.requireNonNull(error, "error");
        this.detail = detail;
        this.retryAfter = retryAfter;
    }

    /** A copy that also tells the client when to retry ({@code Retry-After}, whole seconds, rounded up). */
    public ProblemException retryAfter(Duration retryAfter) {
        return new ProblemException(status, error, detail, retryAfter, getCause());
    }

    public HttpStatus status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String detail() {
        return detail;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
