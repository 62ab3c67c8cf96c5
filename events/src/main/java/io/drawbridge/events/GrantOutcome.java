package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a grant ended, as token-service (its one owner) decided: {@code completed} (delivered in full, its use
 * consumed), {@code released} (expired or failed without full delivery, its use given back) or {@code revoked}
 * (its link was revoked while it was live).
 */
public enum GrantOutcome {
    COMPLETED,
    RELEASED,
    REVOKED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static GrantOutcome fromWire(String value) {
        return value == null ? null : valueOf(value.toUpperCase(Locale.ROOT));
    }
}
