package io.drawbridge.token.issue.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * How a link's plaintext reached someone. Only an email needs tracking: {@code RESPONSE} links were handed to the
 * admin API's caller, who takes it from there; an emailed link is {@code PENDING} until SMTP accepts the message
 * ({@code EMAILED}) or every attempt failed ({@code FAILED}: re-send it, the plaintext is gone).
 */
public enum DeliveryStatus {
    RESPONSE,
    PENDING,
    EMAILED,
    FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DeliveryStatus> parse(String value) {
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
