package io.drawbridge.token.issue.messaging;

import io.drawbridge.events.ArchiveKind;
import io.drawbridge.events.GrantOutcome;
import io.drawbridge.events.GrantSettled;
import io.drawbridge.events.LinkEmailed;
import io.drawbridge.events.TokenExhausted;
import io.drawbridge.events.TokenIssued;
import io.drawbridge.events.TokenRevoked;
import io.drawbridge.platform.outbox.Outbox;
import io.drawbridge.token.issue.domain.DownloadToken;
import io.drawbridge.token.issue.domain.TokenEvents;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Token lifecycle events on {@code tokens.v1}, through the outbox (same transaction as the change). TokenIssued carries
 * the token's hash (never the token), LinkEmailed the moment SMTP accepted the link's email.
 */
@Component
class OutboxTokenEvents implements TokenEvents {

    private final Outbox outbox;

    OutboxTokenEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public Mono<Void> issued(DownloadToken token) {
        return outbox.append(new TokenIssued(
                token.id(),
                token.orderId(),
                token.orderLineId(),
                token.customerEmail(),
                token.productSku(),
                token.fileIds(),
                token.platform(),
                token.maxDownloads(),
                token.expiresAt(),
                token.issuedAt(),
                token.note(),
                token.tokenHash()));
    }

    @Override
    public Mono<Void> revoked(DownloadToken token, String reason, Instant revokedAt) {
        return outbox.append(new TokenRevoked(token.id(), token.orderId(), reason, revokedAt));
    }

    @Override
    public Mono<Void> emailed(DownloadToken token, int attempt, Instant emailedAt) {
        return outbox.append(new LinkEmailed(token.id(), token.orderId(), token.customerEmail(), attempt, emailedAt));
    }

    @Override
    public Mono<Void> grantSettled(
            UUID grantId,
            UUID tokenId,
            GrantOutcome outcome,
            Long bytesSent,
            Long downloadSize,
            ArchiveKind archive,
            Instant settledAt,
            String orderId,
            Integer downloadsConsumed) {
        return outbox.append(new GrantSettled(
                grantId, tokenId, outcome, bytesSent, downloadSize, archive, settledAt, orderId, downloadsConsumed));
    }

    @Override
    public Mono<Void> exhausted(DownloadToken token, Instant exhaustedAt) {
        return outbox.append(new TokenExhausted(token.id(), token.orderId(), token.consumed(), exhaustedAt));
    }
}
