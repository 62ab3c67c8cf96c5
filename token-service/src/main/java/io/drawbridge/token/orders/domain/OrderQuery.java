package io.drawbridge.token.orders.domain;

/**
 * Filters for listing orders; null filters match everything. {@code attention}: only orders an admin has to act
 * on (a line that could not be issued, a link whose email failed, a won dispute waiting for a reissue).
 */
public record OrderQuery(String email, boolean attention, int page, int size) {}
