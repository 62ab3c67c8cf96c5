package io.drawbridge.gateway.web;

import java.util.Arrays;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * The outcomes a customer or a script can meet, with the machine code of the public API and the words of the
 * HTML pages. The codes double as DownloadDenied reasons, so a denial maps here without translation.
 */
public enum PublicError {
    INVALID_TOKEN(
            HttpStatus.UNAUTHORIZED,
            "invalid_token",
            "This link is not valid",
            "Check that you opened the whole link from your email. If it still does not work, contact the seller."),
    EMAIL_MISMATCH(
            HttpStatus.FORBIDDEN,
            "email_mismatch",
            "That email address does not match",
            "Enter the email address you used for the purchase."),
    TOKEN_EXPIRED(
            HttpStatus.GONE,
            "token_expired",
            "This link has expired",
            "Download links only work for a limited time. Contact the seller for a new link."),
    TOKEN_REVOKED(
            HttpStatus.GONE,
            "token_revoked",
            "This link has been cancelled",
            "The seller cancelled this link, for example after a refund. Contact the seller if this is a mistake."),
    USAGE_LIMIT_EXCEEDED(
            HttpStatus.TOO_MANY_REQUESTS,
            "usage_limit_exceeded",
            "No downloads left",
            "This link has been used as many times as it allows. Contact the seller for a new link."),
    RATE_LIMITED(
            HttpStatus.TOO_MANY_REQUESTS,
            "rate_limited",
            "Too many requests",
            "Too many requests came from your network. Wait a moment and try again."),
    FILE_NOT_FOUND(
            HttpStatus.NOT_FOUND,
            "file_not_found",
            "File not available",
            "The file behind this link is not available any more. Contact the seller."),
    TOKEN_SERVICE_UNAVAILABLE(
            HttpStatus.SERVICE_UNAVAILABLE,
            "token_service_unavailable",
            "Temporarily unavailable",
            "We could not check your link just now. Please try again in a few seconds; your link was not used."),
    STORAGE_UNAVAILABLE(
            HttpStatus.SERVICE_UNAVAILABLE,
            "storage_unavailable",
            "Temporarily unavailable",
            "The file could not be read just now. Please try again in a few seconds.");

    private final HttpStatus status;
    private final String code;
    private final String title;
    private final String advice;

    PublicError(HttpStatus status, String code, String title, String advice) {
        this.status = status;
        this.code = code;
        this.title = title;
        this.advice = advice;
    }

    public HttpStatus status() {
        return status;
    }

    /** The {@code error} member of the problem document (and the DownloadDenied reason). */
    public String code() {
        return code;
    }

    /** A short headline in words, also the problem {@code title}. */
    public String title() {
        return title;
    }

    /** What the customer can do about it. */
    public String advice() {
        return advice;
    }

    /** The error for a DownloadDenied reason; unknown reasons (a newer token-service) read as invalid. */
    public static PublicError fromCode(String code) {
        return find(code).orElse(INVALID_TOKEN);
    }

    static Optional<PublicError> find(String code) {
        return Arrays.stream(values()).filter(e -> e.code.equals(code)).findFirst();
    }
}
