package io.drawbridge.file.share.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A share's link token: {@code sh_} + 256 random bits in base64url. It is the only thing that can unlock the share's
 * data key (see {@link ShareCipher}); the service keeps its SHA-256 to find the row, never the token.
 */
public final class ShareToken {

    static final String PREFIX = "sh_";
    private static final int BYTES = 32;
    private static final int ENCODED_LENGTH = PREFIX.length() + 43;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String value;
    private final byte[] secret;

    private ShareToken(String value, byte[] secret) {
        this.value = value;
        this.secret = secret;
    }

    static ShareToken generate() {
        byte[] secret = new byte[BYTES];
        RANDOM.nextBytes(secret);
        return new ShareToken(PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret), secret);
    }

    /** The token in {@code text}, or empty when it is not one (wrong prefix, length or alphabet). */
    public static Optional<ShareToken> parse(String text) {
        if (text == null || text.length() != ENCODED_LENGTH || !text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            byte[] secret = Base64.getUrlDecoder().decode(text.substring(PREFIX.length()));
            return secret.length == BYTES ? Optional.of(new ShareToken(text, secret)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The link's token as it appears in {@code /s/{token}}. Never log it. */
    public String value() {
        return value;
    }

    /** The 256 bits behind it: key material for {@link ShareCipher}. */
    byte[] secret() {
        return secret.clone();
    }

    /** What the table keeps: hex SHA-256 of the token's text. */
    public String hash() {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    @Override
    public String toString() {
        return PREFIX + "****";
    }
}
