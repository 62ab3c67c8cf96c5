package io.drawbridge.file.catalog.domain;

import java.util.Locale;
import java.util.Optional;

/** Which customers a release file is for; {@code ANY} fits every platform. */
public enum Platform {
    WINDOWS,
    MACOS,
    LINUX,
    ANY;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Platform> fromCode(String code) {
        for (Platform platform : values()) {
            if (platform.code().equals(code)) {
                return Optional.of(platform);
            }
        }
        return Optional.empty();
    }
}
