package io.drawbridge.token.catalog.domain;

import java.util.Locale;
import java.util.Optional;

/** The platforms a release can ship builds for; {@code any} is a build that runs everywhere. */
public enum Platform {
    WINDOWS,
    MACOS,
    LINUX,
    ANY;

    /** The name on the wire and in the database: {@code windows}, {@code macos}, {@code linux}, {@code any}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The platform named {@code value} (case-insensitive); empty for null, blank or unknown names. */
    public static Optional<Platform> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        for (Platform platform : values()) {
            if (platform.wire().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(platform);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code value} is null/blank (no preference) or a known platform. */
    public static boolean isValid(String value) {
        return value == null || value.isBlank() || parse(value).isPresent();
    }
}
