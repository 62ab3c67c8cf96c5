package io.drawbridge.gateway.web;

import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * A request the gateway answers with one of the public outcomes instead of a file. Thrown (or signalled) by the
 * features and written as an HTML page or a problem document by {@link RefusalResponses}. Carries no stack
 * trace: it is an answer, not a bug.
 */
public final class DownloadRefused extends RuntimeException {

    private final PublicError error;
    private final HttpStatus status;
    private final String detail;
    private final Duration retryAfter;

    private DownloadRefused(PublicError error, HttpStatus status, String detail, Duration retryAfter) {
        super(error.code(), null, false, false);
        this.error = error;
        this.status = status;
        this.detail = detail;
        this.retryAfter = retryAfter;
    }

    public static DownloadRefused of(PublicError error) {
        return new DownloadRefused(error, error.status(), null, null);
    }

    /** @param detail a sentence safe to show the customer: never a token, a grant or an email address */
    public static DownloadRefused of(PublicError error, String detail) {
        return new DownloadRefused(error, error.status(), detail, null);
    }

    public DownloadRefused withStatus(HttpStatus newStatus) {
        return new DownloadRefused(error, newStatus, detail, retryAfter);
    }

    public DownloadRefused retryAfter(Duration after) {
        return new DownloadRefused(error, status, detail, after);
    }

    public PublicError error() {
        return error;
    }

    public HttpStatus status() {
        return status;
    }

    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
