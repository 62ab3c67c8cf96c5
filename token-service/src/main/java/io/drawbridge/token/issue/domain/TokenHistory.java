package io.drawbridge.token.issue.domain;

import java.time.Instant;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where a token's history is kept; written in the same transaction as the change it describes. */
public interface TokenHistory {

    Mono<Void> record(UUID tokenId, String kind, UUID grantId, String detail, Instant occurredAt);

    /** One entry, as a redemption poll writes several at once ({@code RedemptionLog#recordPoll}). */
    record Entry(UUID tokenId, String kind, UUID grantId, String detail, Instant occurredAt) {}

    Flux<HistoryEntry> of(UUID tokenId);
}
