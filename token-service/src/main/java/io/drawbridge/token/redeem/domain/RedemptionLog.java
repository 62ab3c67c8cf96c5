package io.drawbridge.token.redeem.domain;

import io.drawbridge.token.issue.domain.TokenHistory;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The answers given to download requests, keyed by request id. */
public interface RedemptionLog {

    /** Stores the answer unless one exists for the request id; false when one did (the caller rolls back). */
    Mono<Boolean> save(StoredAnswer answer);

    /**
     * A poll's writes in one statement, whatever their number: the new grants with their items, the tokens' history
     * entries (in the order given) and the answers. How many answers were new (fewer: another delivery answered some
     * first, and the caller rolls back).
     */
    Mono<Integer> recordPoll(List<Grant> newGrants, List<TokenHistory.Entry> history, List<StoredAnswer> answers);

    Mono<StoredAnswer> find(UUID requestId);

    /** The answers stored for any of these request ids. */
    Flux<StoredAnswer> findAll(Collection<UUID> requestIds);

    /** Forgets answers older than {@code cutoff}; how many. */
    Mono<Long> forgetBefore(Instant cutoff);
}
