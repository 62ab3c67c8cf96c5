package io.drawbridge.token.issue.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where tokens are kept. Every change of the use counters is one conditional statement, so that the limits
 * hold whatever runs concurrently (two instances, a rebalance, a redelivery).
 */
public interface TokenLedger {

    Mono<Void> insert(DownloadToken token);

    Mono<DownloadToken> findById(UUID id);

    Mono<DownloadToken> findByHash(String tokenHash);

    /** The tokens with these hashes (those that exist), in one look-up. */
    Flux<DownloadToken> findByHashes(Collection<String> tokenHashes);

    /** The token with its row locked until the transaction ends (two re-sends of one link must not race). */
    Mono<DownloadToken> lock(UUID id);

    /** The links of an order (every line, every re-send), oldest first. */
    Flux<DownloadToken> findByOrder(String orderId);

    /** Records the link re-sent in place of this one; false when another re-send got there first. */
    Mono<Boolean> markReplaced(UUID id, UUID replacement);

    /** One SMTP attempt failed for these tokens (still pending: another attempt follows). */
    Mono<Void> deliveryAttemptFailed(Collection<UUID> ids, String error);

    /** SMTP accepted the email: the tokens that were pending or failed and are now emailed. */
    Flux<DownloadToken> markEmailed(Collection<UUID> ids, Instant at);

    /** Every attempt failed: the tokens that were pending and are now failed. */
    Flux<UUID> markDeliveryFailed(Collection<UUID> ids, String error, Instant at);

    /**
     * Emails still pending for tokens issued before {@code issuedBefore} were lost with the process that was
     * sending them: marks them failed; those tokens.
     */
    Flux<DownloadToken> abandonDeliveries(Instant issuedBefore, String error, Instant at);

    Mono<TokenPage> search(TokenQuery query, Instant now);

    /** Marks the token revoked; the revoked token, or empty when it was revoked already or does not exist. */
    Mono<DownloadToken> revoke(UUID id, String reason, Instant revokedAt);

    /**
     * Moves the expiry of a link that is not revoked from {@code from} to {@code to}; the token afterwards, or empty
     * when it was revoked or its expiry had changed meanwhile (the caller decided on a stale copy).
     */
    Mono<DownloadToken> changeExpiry(UUID id, Instant from, Instant to);

    /**
     * Sets the uses a link that is not revoked allows from {@code from} to {@code to} (and forgets that it was used
     * up, since it no longer is); the token afterwards, or empty when it was revoked or the allowance had changed.
     */
    Mono<DownloadToken> changeMaxDownloads(UUID id, int from, int to);

    /**
     * Reserves one use if the token is live and has one left; the uses remaining afterwards, or empty when
     * nothing was reserved.
     */
    Mono<Integer> reserve(UUID id, Instant now);

    /**
     * Reserves {@code count} uses of each token at once, each token only if it is live and has that many left (all
     * or none of a token's); the uses each token that got its reservation has left afterwards. Tokens missing from
     * the answer reserved nothing.
     */
    Mono<Map<UUID, Integer>> reserve(Map<UUID, Integer> counts, Instant now);

    /** Gives {@code count} reserved uses back. */
    Mono<Void> releaseReserved(UUID id, int count);

    /**
     * Turns a use into a consumed one: the reserved one when {@code fromReservation}, else a free one if any is
     * left. The token afterwards, or empty when nothing was consumed.
     */
    Mono<DownloadToken> consume(UUID id, boolean fromReservation);

    /** Marks the token exhausted once; true the first time. */
    Mono<Boolean> markExhausted(UUID id, Instant at);

    /**
     * Takes {@code bytes} from the token's byte budget if what is leased stays within {@code budget}; false, and
     * nothing changed, when it would not.
     */
    Mono<Boolean> leaseBytes(UUID id, long bytes, long budget);

    /** A response is over: {@code unsent} leased bytes go back to the budget, {@code sent} count as delivered. */
    Mono<Void> settleBytes(UUID id, long unsent, long sent);

    /** The token of a grant, locked for the caller's transaction (its files are loaded too). */
    Mono<DownloadToken> lockOfGrant(UUID grantId);
}
