package io.drawbridge.order.stripe.domain;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies a {@code Stripe-Signature} header the way Stripe documents it, so that only Stripe (holding an
 * endpoint secret) can make us record a payment.
 *
 * <p>The header is {@code t=<unix seconds>,v1=<hex>[,v1=<hex>...][,v0=...]}. The expected signature is the hex
 * HMAC-SHA256 of {@code "<t>.<raw body>"} keyed with the endpoint secret. Any {@code v1} may match any of the
 * configured secrets (several during a rotation); other schemes are ignored. Signatures are compared in
 * constant time, and the timestamp must lie within the tolerance of now (in either direction) to stop replays.
 */
public final class StripeSignatureVerifier {

    private static final String SCHEME = "v1";
    private static final HexFormat HEX = HexFormat.of();

    private final List<byte[]> secrets;
    private final Duration tolerance;

    public StripeSignatureVerifier(List<String> secrets, Duration tolerance) {
        this.secrets = secrets.stream()
                .filter(Objects::nonNull)
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(s -> s.getBytes(StandardCharsets.UTF_8))
                .toList();
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
    }

    /** Whether any secret is configured; without one every delivery is refused. */
    public boolean configured() {
        return !secrets.isEmpty();
    }

    /**
     * Returns normally when {@code header} signs {@code payload}; throws {@link WebhookRejectedException}
     * otherwise.
     */
    public void verify(String header, byte[] payload, Instant now) {
        if (header == null || header.isBlank()) {
            throw new WebhookRejectedException(WebhookRejection.MISSING_SIGNATURE);
        }
        Long timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String item : header.split(",")) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = item.substring(0, eq).strip();
            String value = item.substring(eq + 1).strip();
            if (key.equals("t")) {
                timestamp = parseTimestamp(value);
            } else if (key.equals(SCHEME)) {
                signatures.add(value.getBytes(StandardCharsets.US_ASCII));
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            throw new WebhookRejectedException(WebhookRejection.INVALID_SIGNATURE);
        }
        if (!matchesAny(timestamp, payload, signatures)) {
            throw new WebhookRejectedException(WebhookRejection.INVALID_SIGNATURE);
        }
        long age = now.getEpochSecond() - timestamp;
        if (Math.abs(age) > tolerance.toSeconds()) {
            throw new WebhookRejectedException(WebhookRejection.STALE_TIMESTAMP);
        }
    }

    /** The {@code v1} signature of {@code payload} at {@code timestamp} with {@code secret}, lowercase hex. */
    public static String sign(String secret, long timestamp, byte[] payload) {
        return HEX.formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), timestamp, payload));
    }

    private boolean matchesAny(long timestamp, byte[] payload, List<byte[]> signatures) {
        boolean match = false;
        for (byte[] secret : secrets) {
            byte[] expected = HEX.formatHex(hmac(secret, timestamp, payload)).getBytes(StandardCharsets.US_ASCII);
            for (byte[] candidate : signatures) {
                // No early exit: every comparison runs, each in constant time.
                match |= MessageDigest.isEqual(expected, candidate);
            }
        }
        return match;
    }

    private static Long parseTimestamp(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static byte[] hmac(byte[] secret, long timestamp, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(Long.toString(timestamp).getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            mac.update(payload);
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
