package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How the gateway served several items as one ZIP: {@code laid_out} (every entry STORED and known up front, so the
 * archive has an exact length and is served in byte ranges like a file) or {@code streamed} (deflated as it goes,
 * no length, no ranges). The gateway states it; token-service and audit-service take it as said.
 */
public enum ArchiveKind {
    LAID_OUT,
    STREAMED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ArchiveKind fromWire(String value) {
        return value == null ? null : valueOf(value.toUpperCase(Locale.ROOT));
    }
}
