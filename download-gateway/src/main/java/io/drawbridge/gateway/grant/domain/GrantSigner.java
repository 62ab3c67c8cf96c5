package io.drawbridge.gateway.grant.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks grant URLs ({@code {grantId}.{expiresEpochSeconds}.{sig}}), so that the gateway can refuse a
 * forged, altered or stale grant without asking anyone, and only asks token-service about grants it issued.
 * sig = base64url(HMAC-SHA256(secret, grantId + "." + expires [+ "." + clientIp])). Comparison is constant-time.
 */
public final class GrantSigner {

    private static final Pattern SHAPE =
            Pattern.compile("([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
                    + "\\.([0-9]{1,12})\\.([A-Za-z0-9_-]{43})");

    private final SecretKeySpec key;
    private final boolean bindToClientIp;
    private final Clock clock;

    public GrantSigner(String secret, boolean bindToClientIp, Clock clock) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.bindToClientIp = bindToClientIp;
        this.clock = clock;
    }

    /** The grant path segment for {@code grantId}, valid until {@code expiresAt} (whole seconds). */
    public String sign(UUID grantId, Instant expiresAt, String clientIp) {
        long expires = expiresAt.getEpochSecond();
        return grantId + "." + expires + "." + signature(grantId.toString(), expires, clientIp);
    }

    /** Checks a grant path segment presented by {@code clientIp}. */
    public Verification verify(String grant, String clientIp) {
        Matcher m = grant == null ? null : SHAPE.matcher(grant);
        if (m == null || !m.matches()) {
            return Verification.INVALID;
        }
        String grantId = m.group(1).toLowerCase();
        long expires = Long.parseLong(m.group(2));
        byte[] expected = signature(grantId, expires, clientIp).getBytes(StandardCharsets.US_ASCII);
        byte[] presented = m.group(3).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, presented)) {
            return Verification.INVALID;
        }
        Instant expiresAt = Instant.ofEpochSecond(expires);
        if (!clock.instant().isBefore(expiresAt)) {
            return new Verification(Status.EXPIRED, Optional.of(UUID.fromString(grantId)), expiresAt);
        }
        return new Verification(Status.VALID, Optional.of(UUID.fromString(grantId)), expiresAt);
    }

    private String signature(String grantId, long expires, String clientIp) {
        String message = grantId + "." + expires + (bindToClientIp ? "." + clientIp : "");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] sig = mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** What a grant check found. */
    public enum Status {
        VALID,
        EXPIRED,
        INVALID
    }

    /**
     * @param grantId present unless the grant is {@link Status#INVALID}
     */
    public record Verification(Status status, Optional<UUID> grantId, Instant expiresAt) {
        static final Verification INVALID = new Verification(Status.INVALID, Optional.empty(), Instant.EPOCH);
    }
}
