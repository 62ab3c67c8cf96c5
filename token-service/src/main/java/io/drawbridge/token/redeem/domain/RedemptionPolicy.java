package io.drawbridge.token.redeem.domain;

import io.drawbridge.token.issue.domain.DownloadToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The checks a download request must pass before a use is reserved, in the order a customer should hear about
 * them: a revoked link says so even when it has also expired, and an email mismatch is reported before
 * anything about uses left (a stranger learns nothing about the link).
 */
public final class RedemptionPolicy {

    /** A refusal and its detail for humans. */
    public record Denial(DenialReason reason, String detail) {}

    private RedemptionPolicy() {}

    public static Optional<Denial> check(DownloadToken token, RedeemRequest request, Instant now) {
        if (token.revokedAt() != null) {
            return Optional.of(new Denial(DenialReason.TOKEN_REVOKED, "the link was revoked"));
        }
        if (!now.isBefore(token.expiresAt())) {
            return Optional.of(new Denial(DenialReason.TOKEN_EXPIRED, "the link expired at " + token.expiresAt()));
        }
        if (token.requireEmail() && !emailMatches(token.customerEmail(), request.email())) {
            return Optional.of(new Denial(
                    DenialReason.EMAIL_MISMATCH,
                    request.email() == null || request.email().isBlank()
                            ? "the link needs the buyer's email address"
                            : "the email address does not match the link"));
        }
        return Optional.empty();
    }

    /** Why no use could be reserved for a token that passed {@link #check} a moment ago. */
    public static Denial noUseLeft(DownloadToken current, Instant now) {
        if (current.revokedAt() != null) {
            return new Denial(DenialReason.TOKEN_REVOKED, "the link was revoked");
        }
        if (!now.isBefore(current.expiresAt())) {
            return new Denial(DenialReason.TOKEN_EXPIRED, "the link expired at " + current.expiresAt());
        }
        return new Denial(
                DenialReason.USAGE_LIMIT_EXCEEDED,
                "all " + current.maxDownloads() + " downloads of the link are used or in progress");
    }

    /** Case-insensitive, surrounding blanks ignored, compared in constant time. */
    public static boolean emailMatches(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        byte[] a = expected.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        byte[] b = given.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(a, b);
    }
}
