package io.drawbridge.token.redeem.domain;

import java.util.Locale;

/**
 * A grant's state. {@code ACTIVE} until it is fully delivered ({@code COMPLETED}: its use is consumed), expires
 * without full delivery ({@code RELEASED}: its use went back to the token) or its token is revoked. {@code EXPIRED}
 * is never stored: it is what an active grant past its expiry shows until the sweep releases it.
 */
public enum GrantStatus {
    ACTIVE,
    COMPLETED,
    RELEASED,
    REVOKED,
    EXPIRED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static GrantStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
