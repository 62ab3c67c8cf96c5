package io.drawbridge.file.share.domain;

import java.time.Instant;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The share and share_grant tables. Every change that a race could get wrong is one conditional statement; the
 * rules themselves live in {@link Shares}.
 */
public interface ShareLedger {

    Mono<Void> insert(Share share);

    Mono<Share> byTokenHash(String tokenHash);

    Mono<Share> byId(UUID id);

    /** Takes one of {@code limit} password tries; the failures counted with it, empty when none is left. */
    Mono<Integer> takePasswordTry(UUID id, int limit);

    /** Gives back the try taken for a password that was right. */
    Mono<Void> returnPasswordTry(UUID id);

    /** Counts one read of an active, unexpired share with reads left; the reads used after it, empty otherwise. */
    Mono<Integer> countRead(UUID id, Instant now);

    /**
     * Ends an active share: the status, and the secret parts set to null; grants deleted. False when it was no longer
     * active (someone else ended it).
     */
    Mono<Boolean> end(UUID id, String status, Instant now);

    Mono<Void> objectDeleted(UUID id);

    /** Reserves {@code bytes} of the share's byte budget; false when they would pass {@code budget}. */
    Mono<Boolean> reserveBytes(UUID id, long bytes, long budget);

    Mono<Void> returnBytes(UUID id, long bytes);

    Mono<Void> insertGrant(ShareGrant grant);

    Mono<ShareGrant> grant(UUID id);

    /** Adds {@code [start, end)} to what a grant delivered; true the one time the whole {@code [0, size)} is in. */
    Mono<Boolean> delivered(UUID grantId, long start, long end, long size);

    /** A page of shares, newest first, of one status or of all ({@code status} null). */
    Mono<SharePage<Share>> list(String status, int page, int size);

    /** Active shares whose time ran out. */
    Flux<Share> expired(Instant now, int limit);

    /** Shares ended over a minute ago whose object is still in the bucket (a deletion that failed). */
    Flux<Share> leftoverObjects(int limit);
}
