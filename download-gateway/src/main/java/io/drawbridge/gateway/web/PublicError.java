package io.drawbridge.gateway.web;

import java.util.Arrays;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * The outcomes a customer or a script can meet, with the machine code of the public API; their words are in the
 * buyer message bundle ({@link BuyerText}: {@code error.<code>.title|advice}). The codes double as DownloadDenied reasons, so a denial maps here without translation.
 */
public enum PublicError {
    INVALID_TOKEN(HttpStatus.UNAUTHORIZED, "invalid_token"),
    EMAIL_MISMATCH(HttpStatus.FORBIDDEN, "email_mismatch"),
    TOKEN_EXPIRED(HttpStatus.GONE, "token_expired"),
    TOKEN_REVOKED(HttpStatus.GONE, "token_revoked"),
    USAGE_LIMIT_EXCEEDED(HttpStatus.TOO_MANY_REQUESTS, "usage_limit_exceeded"),
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "rate_limited"),
    FILE_NOT_FOUND(HttpStatus.NOT_FOUND, "file_not_found"),
    TOKEN_SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "token_service_unavailable"),
    STORAGE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "storage_unavailable");

    private final HttpStatus status;
    private final String code;

    PublicError(HttpStatus status, String code) {
        this.status = status;
        this.code = code;
    }

    public HttpStatus status() {
        return status;
    }

    /** The {@code error} member of the problem document (and the DownloadDenied reason). */
    public String code() {
        return code;
    }

    /** A short headline in English, also the problem {@code title}. */
    public String title() {
        return title(BuyerText.ENGLISH);
    }

    /** What the customer can do about it, in English (the problem's default {@code detail}). */
    public String advice() {
        return advice(BuyerText.ENGLISH);
    }

    /** The headline in the page's language (message {@code error.<code>.title}). */
    public String title(BuyerText text) {
        return text.get("error." + code + ".title");
    }

    /** What the customer can do about it, in the page's language (message {@code error.<code>.advice}). */
    public String advice(BuyerText text) {
        return text.get("error." + code + ".advice");
    }

    /** The error for a DownloadDenied reason; unknown reasons (a newer token-service) read as invalid. */
    public static PublicError fromCode(String code) {
        return find(code).orElse(INVALID_TOKEN);
    }

    static Optional<PublicError> find(String code) {
        return Arrays.stream(values()).filter(e -> e.code.equals(code)).findFirst();
    }
}
