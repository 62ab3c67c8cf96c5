package io.drawbridge.token.issue.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One thing that happened to a token ({@code issued}, {@code granted}, {@code denied}, {@code delivered},
 * {@code download_failed}, {@code grant_completed}, {@code grant_released}, {@code revoked}, {@code exhausted}),
 * so that support can answer "what happened to my link" without the audit service.
 */
public record HistoryEntry(String kind, UUID grantId, String detail, Instant occurredAt) {}
