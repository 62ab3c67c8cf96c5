package io.drawbridge.token.issue.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * One thing that happened to a token ({@code issued}, {@code emailed}, {@code email_failed}, {@code granted},
 * {@code denied}, {@code delivered}, {@code download_failed}, {@code grant_completed}, {@code grant_released},
 * {@code revoked}, {@code replaced} (re-sent as another link), {@code dispute_won}, {@code reissued_after_dispute},
 * {@code exhausted}), so that support can answer "what happened to my link" without the audit service.
 */
public record HistoryEntry(String kind, UUID grantId, String detail, Instant occurredAt) {}
