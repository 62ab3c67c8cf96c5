package io.drawbridge.audit.downloads.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a download stands in the log. A granted download is {@code pending} until the gateway reports a response,
 * {@code failed} while every response ended early, and {@code completed} once one delivered all it promised (a
 * download that failed and was then resumed to its end is completed).
 */
public enum DownloadOutcome {
    PENDING,
    COMPLETED,
    FAILED,
    DENIED;

    /** The value stored and shown: lowercase. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a stored or requested value, case-insensitively. */
    public static Optional<DownloadOutcome> parse(String value) {
        for (DownloadOutcome outcome : values()) {
            if (outcome.value().equalsIgnoreCase(value)) {
                return Optional.of(outcome);
            }
        }
        return Optional.empty();
    }
}
