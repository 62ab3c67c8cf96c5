package io.drawbridge.gateway.redeem.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The secret part of a download link ({@code dl_} + base64url). The gateway only ever passes on its SHA-256, and
 * {@link #toString()} never shows it, so a stray log statement cannot leak a working link.
 */
public final class LinkToken {

    private static final Pattern SHAPE = Pattern.compile("dl_[A-Za-z0-9_-]{16,128}");

    private final String value;
    private final String hash;

    private LinkToken(String value) {
        this.value = value;
        this.hash = sha256Hex(value);
    }

    /** The token if {@code raw} has a token's shape; empty for anything else (no need to ask anyone). */
    public static Optional<LinkToken> parse(String raw) {
        if (raw == null || !SHAPE.matcher(raw).matches()) {
            return Optional.empty();
        }
        return Optional.of(new LinkToken(raw));
    }

    /** Lowercase hex SHA-256 of the token string: the only form that leaves the gateway. */
    public String hash() {
        return hash;
    }

    /** The first characters of the hash, enough to correlate logs, useless to an attacker. */
    public String hashPrefix() {
        return hash.substring(0, 8);
    }

    /** The token itself, for the landing page's own form action only. */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return "LinkToken[" + hashPrefix() + "...]";
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
