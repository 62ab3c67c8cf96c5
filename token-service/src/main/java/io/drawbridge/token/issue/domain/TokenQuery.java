package io.drawbridge.token.issue.domain;

/** Filters for listing tokens; null filters match everything. {@code page} counts from 0. */
public record TokenQuery(String email, String orderId, TokenStatus status, int page, int size) {}
