package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What happened to a one-time share: {@code created}; {@code read} (a text shown or a file delivered in full, one
 * read used); {@code burnt} (its last read used: data deleted); {@code expired} (its time ran out: data deleted);
 * {@code locked} (too many wrong passwords: kept, no longer readable); {@code deleted} (an admin removed it before it
 * was read out or expired: data deleted).
 */
public enum ShareChange {
    CREATED,
    READ,
    BURNT,
    EXPIRED,
    LOCKED,
    DELETED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ShareChange fromWire(String value) {
        return value == null ? null : valueOf(value.toUpperCase(Locale.ROOT));
    }
}
