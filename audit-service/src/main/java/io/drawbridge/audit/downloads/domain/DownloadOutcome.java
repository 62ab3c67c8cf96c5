package io.drawbridge.audit.downloads.domain;

import io.drawbridge.events.GrantOutcome;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a download stands in the log. audit-service does not judge whether a download was delivered in full:
 * token-service, the grant's one owner, decides it and says so in GrantSettled. Until that arrives a granted
 * download is {@code in_progress}, whatever its responses reported so far (they are shown as they are: bytes,
 * responses, the last failure's reason); a request without a reply is {@code pending}, a refused one {@code denied}.
 */
public enum DownloadOutcome {
    /** Requested, no reply yet. */
    PENDING,
    /** Granted; token-service has not settled the grant yet. */
    IN_PROGRESS,
    /** token-service settled the grant as delivered in full (its use consumed). */
    COMPLETED,
    /** token-service released the grant: not delivered in full, its use given back (failed or expired). */
    FAILED,
    /** The link was revoked while the grant was live. */
    REVOKED,
    /** token-service refused the request. */
    DENIED;

    /** The value stored and shown: lowercase. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True once the download's outcome is decided (it no longer waits for token-service). */
    public boolean decided() {
        return this != PENDING && this != IN_PROGRESS;
    }

    /**
     * A granted download's outcome: token-service's decision once it settled the grant, {@code in_progress} before.
     *
     * @param settled the outcome of the grant's GrantSettled, null while none has arrived
     */
    public static DownloadOutcome ofGrant(GrantOutcome settled) {
        if (settled == null) {
            return IN_PROGRESS;
        }
        return switch (settled) {
            case COMPLETED -> COMPLETED;
            case RELEASED -> FAILED;
            case REVOKED -> REVOKED;
        };
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

    /** Every value, as accepted by {@link #parse}. */
    public static String valuesText() {
        StringBuilder text = new StringBuilder();
        for (DownloadOutcome outcome : values()) {
            text.append(text.isEmpty() ? "" : ", ").append(outcome.value());
        }
        return text.toString();
    }
}
