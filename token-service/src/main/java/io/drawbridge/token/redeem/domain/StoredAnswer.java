package io.drawbridge.token.redeem.domain;

import java.time.Instant;
import java.util.UUID;

/** The answer given to a request id, kept so that a redelivered request gets the same answer. */
public record StoredAnswer(
        UUID requestId,
        UUID tokenId,
        UUID grantId,
        boolean granted,
        boolean reused,
        Integer downloadsRemaining,
        String reason,
        String detail,
        Instant answeredAt) {}
