package io.drawbridge.token.issue.domain;

/**
 * Filters for listing tokens; null filters match everything. {@code page} counts from 0. {@code delivery} {@code
 * FAILED} lists the links whose email failed and that were not re-sent yet (what an admin has to act on).
 */
public record TokenQuery(
        String email, String orderId, TokenStatus status, DeliveryStatus delivery, int page, int size) {

    public TokenQuery(String email, String orderId, TokenStatus status, int page, int size) {
        this(email, orderId, status, null, page, size);
    }
}
