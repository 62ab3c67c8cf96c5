package io.drawbridge.token.redeem.domain;

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

    /** Stores the answers in one statement; how many were new (fewer: another delivery answered some first). */
    Mono<Integer> saveAll(List<StoredAnswer> answers);

    Mono<StoredAnswer> find(UUID requestId);

    /** The answers stored for any of these request ids. */
    Flux<StoredAnswer> findAll(Collection<UUID> requestIds);

    /** Forgets answers older than {@code cutoff}; how many. */
    Mono<Long> forgetBefore(Instant cutoff);
}
