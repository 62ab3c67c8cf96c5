package io.drawbridge.token.issue.domain;

import io.drawbridge.events.ArchiveKind;
import io.drawbridge.events.GrantOutcome;
import java.time.Instant;
import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * The token lifecycle events, appended to the outbox in the caller's transaction (so an event goes out exactly
 * when the change commits). Never carries the plaintext token.
 */
public interface TokenEvents {

    Mono<Void> issued(DownloadToken token);

    Mono<Void> revoked(DownloadToken token, String reason, Instant revokedAt);

    Mono<Void> exhausted(DownloadToken token, Instant exhaustedAt);

    /**
     * A grant ended: its outcome as the delivery ledger decided it, what its responses sent in all, one whole
     * download's size and how a ZIP was served (each null when not known, e.g. for a revocation); the link's order, and
     * for a completed grant that consumed a use the link's consumed downloads counting it (1: its first download).
     */
    Mono<Void> grantSettled(
            UUID grantId,
            UUID tokenId,
            GrantOutcome outcome,
            Long bytesSent,
            Long downloadSize,
            ArchiveKind archive,
            Instant settledAt,
            String orderId,
            Integer downloadsConsumed);

    /** A grant ended with its link's revocation. */
    default Mono<Void> grantSettled(UUID grantId, UUID tokenId, GrantOutcome outcome, Instant at) {
        return grantSettled(grantId, tokenId, outcome, null, null, null, at, null, null);
    }

    /** The link's email was accepted by SMTP, at the {@code attempt}-th try. */
    Mono<Void> emailed(DownloadToken token, int attempt, Instant emailedAt);
}
