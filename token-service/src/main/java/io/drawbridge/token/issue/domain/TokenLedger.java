package io.drawbridge.token.issue.domain;

import java.time.Instant;
import java.util.UUID;
import reactor.core.publisher.Mono;

/**
 * Where tokens are kept. Every change of the use counters is one conditional statement, so that the limits
 * hold whatever runs concurrently (two instances, a rebalance, a redelivery).
 */
public interface TokenLedger {

    Mono<Void> insert(DownloadToken token);

    Mono<DownloadToken> findById(UUID id);

    Mono<DownloadToken> findByHash(String tokenHash);

    Mono<TokenPage> search(TokenQuery query, Instant now);

    /** Marks the token revoked; the revoked token, or empty when it was revoked already or does not exist. */
    Mono<DownloadToken> revoke(UUID id, String reason, Instant revokedAt);

    /**
     * Reserves one use if the token is live and has one left; the uses remaining afterwards, or empty when
     * nothing was reserved.
     */
    Mono<Integer> reserve(UUID id, Instant now);

    /** Gives {@code count} reserved uses back. */
    Mono<Void> releaseReserved(UUID id, int count);

    /**
     * Turns a use into a consumed one: the reserved one when {@code fromReservation}, else a free one if any is
     * left. The token afterwards, or empty when nothing was consumed.
     */
    Mono<DownloadToken> consume(UUID id, boolean fromReservation);

    /** Marks the token exhausted once; true the first time. */
    Mono<Boolean> markExhausted(UUID id, Instant at);

    Mono<Void> addBytesDelivered(UUID id, long bytes);
}
