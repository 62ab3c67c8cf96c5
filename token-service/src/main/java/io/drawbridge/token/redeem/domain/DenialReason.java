package io.drawbridge.token.redeem.domain;

import java.util.Locale;

/** Why a download request was refused; {@link #wire()} is the {@code reason} of DownloadDenied. */
public enum DenialReason {
    INVALID_TOKEN,
    EMAIL_MISMATCH,
    TOKEN_EXPIRED,
    TOKEN_REVOKED,
    USAGE_LIMIT_EXCEEDED,
    FILE_NOT_FOUND;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DenialReason fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
