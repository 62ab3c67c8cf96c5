package io.drawbridge.token.issue.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A download token: 256 random bits from a CSPRNG, base64url without padding, prefixed {@code dl_}. Only {@link
 * #hash()} is ever stored or sent anywhere; the plaintext leaves the service once, in the issuing response.
 * {@link #toString()} never shows the plaintext, so a stray log line cannot leak it.
 */
public final class TokenSecret {

    private static final String PREFIX = "dl_";
    private static final int RANDOM_BYTES = 32;
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String plaintext;
    private final String hash;

    private TokenSecret(String plaintext) {
        this.plaintext = plaintext;
        this.hash = hashOf(plaintext);
    }

    /** A fresh token from the platform's strong random source. */
    public static TokenSecret generate() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return new TokenSecret(PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** Lowercase hex SHA-256 of the token string's UTF-8 bytes: what the gateway sends as {@code tokenHash}. */
    public static String hashOf(String plaintext) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(plaintext.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** Whether {@code tokenHash} has the shape of {@link #hashOf}: 64 lowercase hex digits. */
    public static boolean isWellFormedHash(String tokenHash) {
        return tokenHash != null && HASH.matcher(tokenHash).matches();
    }

    /** Compares two hashes in time independent of where they differ. */
    public static boolean hashesMatch(String expected, String actual) {
        if (expected == null || actual == null) {
            return false;
        }
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), actual.getBytes(StandardCharsets.US_ASCII));
    }

    /** The token itself: for the issuing response only. */
    public String plaintext() {
        return plaintext;
    }

    public String hash() {
        return hash;
    }

    @Override
    public String toString() {
        return "TokenSecret[hash=" + hash + "]";
    }
}
