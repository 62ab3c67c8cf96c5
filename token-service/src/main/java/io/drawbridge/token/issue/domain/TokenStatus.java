package io.drawbridge.token.issue.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a token stands, derived from its counters and dates, never stored (a stored status would go stale the
 * second a token expires). Precedence: revoked, then exhausted, then expired, else active.
 */
public enum TokenStatus {
    ACTIVE,
    EXHAUSTED,
    EXPIRED,
    REVOKED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TokenStatus> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
