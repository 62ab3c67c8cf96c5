package io.drawbridge.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * The platforms a release ships builds for, with their wire values ({@code windows}, {@code macos}, {@code linux},
 * {@code any}: a build that runs everywhere). One word for file-service's releases, the gateway's preselection and
 * the landing page; token-service still has a copy of its own (issue 14).
 */
public enum Platform {
    WINDOWS,
    MACOS,
    LINUX,
    ANY;

    /** The name on the wire and in the database. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The platform named {@code value} (case-insensitive, trimmed); empty for null, blank or unknown names. */
    public static Optional<Platform> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String wire = value.trim().toLowerCase(Locale.ROOT);
        for (Platform platform : values()) {
            if (platform.wire().equals(wire)) {
                return Optional.of(platform);
            }
        }
        return Optional.empty();
    }

    @JsonCreator
    static Platform fromWire(String value) {
        return parse(value).orElseThrow(() -> new IllegalArgumentException("unknown platform " + value));
    }
}
