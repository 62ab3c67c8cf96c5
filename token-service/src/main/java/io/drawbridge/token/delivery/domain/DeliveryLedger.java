package io.drawbridge.token.delivery.domain;

import io.drawbridge.events.ArchiveKind;
import io.drawbridge.events.GrantOutcome;
import io.drawbridge.token.config.TokenProperties;
import io.drawbridge.token.delivery.domain.ByteRanges.Span;
import io.drawbridge.token.delivery.domain.LeaseRefused.Reason;
import io.drawbridge.token.issue.domain.DownloadToken;
import io.drawbridge.token.issue.domain.TokenEvents;
import io.drawbridge.token.issue.domain.TokenHistory;
import io.drawbridge.token.issue.domain.TokenLedger;
import io.drawbridge.token.redeem.domain.Grant;
import io.drawbridge.token.redeem.domain.GrantBook;
import io.drawbridge.token.redeem.domain.GrantItem;
import io.drawbridge.token.redeem.domain.GrantStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The one owner of what a grant may send and what it sent. The gateway leases every window of bytes before it sends
 * it and ends the lease with what it sent; from those leases this ledger keeps three rules, each checked under the
 * token's and the grant's row locks (so that any number of gateways and token-service instances agree):
 *
 * <ul>
 *   <li><b>One sender per byte.</b> A window that another running response of the grant is sending is refused: N
 *       parallel whole reads of one grant get one stream, and a download manager's disjoint segments all run.
 *   <li><b>One copy per grant.</b> Bytes a grant already sent may be sent again only within the resend allowance (a
 *       resume re-sends what was lost in flight), never half the download or more.
 *   <li><b>A byte budget per link.</b> All grants of a link together lease at most {@code size × downloads} plus
 *       that allowance, so that no mix of grants, failures and ranges assembles more copies than the link allows.
 * </ul>
 *
 * <p>Settling follows from the leases, not from any message: when what a grant sent covers its download, its use is
 * consumed; when a response ends early and no other response of the grant runs, the use goes back to the link (a
 * failed download does not burn it) and is taken again by the grant's next lease. Each ending is published as
 * GrantSettled through the outbox.
 */
@Service
public class DeliveryLedger {

    private final GrantBook grants;
    private final LeaseBook leases;
    private final TokenLedger tokens;
    private final TokenHistory history;
    private final TokenEvents events;
    private final TransactionalOperator tx;
    private final TokenProperties properties;
    private final Clock clock;
    private final MeterRegistry meters;

    DeliveryLedger(
            GrantBook grants,
            LeaseBook leases,
            TokenLedger tokens,
            TokenHistory history,
            TokenEvents events,
            TransactionalOperator tx,
            TokenProperties properties,
            Clock clock,
            MeterRegistry meters) {
        this.grants = grants;
        this.leases = leases;
        this.tokens = tokens;
        this.history = history;
        this.events = events;
        this.tx = tx;
        this.properties = properties;
        this.clock = clock;
        this.meters = meters;
    }

    /** The grant as the gateway sees it now; empty for an unknown grant. */
    public Mono<GrantStanding> standing(UUID grantId) {
        Instant now = clock.instant();
        return grants.findById(grantId).flatMap(grant -> tokens.findById(grant.tokenId())
                .map(token -> new GrantStanding(
                        grant,
                        token.revokedAt() != null ? GrantStatus.REVOKED : grant.statusAt(now),
                        token.bytesDelivered(),
                        budget(token, grant.downloadSizeBound()))));
    }

    /**
     * What a response asks to send: the window {@code [start, end)} of {@code target} (a file id, or null for the ZIP
     * of all items, served as {@code archive}) now, out of {@code [start, responseEnd)} it will send in all. The
     * gateway names the lease ({@code leaseId}, so that it can end a lease whose answer it never heard) and says until
     * when an answer is of use to it ({@code answerBy}; past it, it has answered its client already); both optional.
     */
    public record LeaseRequest(
            UUID target,
            ArchiveKind archive,
            long targetSize,
            long start,
            long end,
            long responseEnd,
            UUID leaseId,
            Instant answerBy) {

        public LeaseRequest(UUID target, ArchiveKind archive, long targetSize, long start, long end, long responseEnd) {
            this(target, archive, targetSize, start, end, responseEnd, null, null);
        }
    }

    /** Leases a response's first window; refused with {@link LeaseRefused}, nothing changed, when it may not. */
    public Mono<ByteLease> lease(UUID grantId, LeaseRequest request) {
        Instant now = now();
        return tx.transactional(locked(grantId)
                .switchIfEmpty(refuse(Reason.NOT_FOUND, "no such grant"))
                .flatMap(state -> acquire(state, request, now)));
    }

    /**
     * Extends a running lease towards {@code end}, the response's next window: as far as no other running response
     * of the grant holds the bytes (the answer says how far), refused when not a byte further. Asking for an end the
     * lease already reaches answers the lease as it stands, so the gateway may ask again when an answer got lost.
     */
    public Mono<ByteLease> extend(UUID leaseId, long end) {
        Instant now = now();
        return leases.find(leaseId)
                .switchIfEmpty(refuse(Reason.NOT_FOUND, "no such lease"))
                .flatMap(lease ->
                        tx.transactional(locked(lease.grantId()).flatMap(state -> widen(state, leaseId, end, now))));
    }

    /**
     * Ends a lease with what its response sent ({@code bytesSent} from the lease's start) and whether the response
     * delivered all it promised; settles the grant when that covers it. Ending an ended lease changes nothing.
     */
    public Mono<Void> end(UUID leaseId, long bytesSent, boolean responseComplete) {
        Instant now = now();
        return leases.find(leaseId)
                .flatMap(lease -> tx.transactional(locked(lease.grantId())
                        .flatMap(state -> close(state, leaseId, bytesSent, responseComplete, now))));
    }

    /**
     * Settles a grant past its expiry: consumed when what it leased covers its download (a lease whose gateway never
     * ended it counts as sent), else released, its use back to the link. True when this call settled it.
     */
    public Mono<Boolean> expire(UUID grantId) {
        Instant now = now();
        return tx.transactional(locked(grantId).flatMap(state -> {
                    if (state.grant.status() != GrantStatus.ACTIVE || state.grant.liveAt(now)) {
                        return Mono.just(false);
                    }
                    return covered(state.grant, state.leases, true, now)
                            ? complete(state, now).thenReturn(true)
                            : release(state, now);
                }))
                .defaultIfEmpty(false);
    }

    /**
     * The grant's token and the grant, locked in that order (the order redemption and revocation lock them in); empty
     * for an unknown grant.
     */
    private Mono<Locked> locked(UUID grantId) {
        return tokens.lockOfGrant(grantId).flatMap(token -> grants.lock(grantId)
                .flatMap(grant -> leases.ofGrant(grantId).collectList().map(all -> new Locked(token, grant, all))));
    }

    private Mono<ByteLease> acquire(Locked state, LeaseRequest request, Instant now) {
        // Checked after the locks, where a busy moment makes a request wait: a lease the gateway no longer waits for
        // would hold its bytes, unsent, until it expires, and refuse the client's next try as "in use".
        if (request.answerBy() != null && clock.instant().isAfter(request.answerBy())) {
            return refuse(Reason.LATE, "the gateway stopped waiting for this lease");
        }
        Optional<String> misfit = misfit(state.grant, request);
        if (misfit.isPresent()) {
            return refuse(Reason.INVALID, misfit.get());
        }
        Mono<Void> standing = checkStanding(state, now);
        List<ByteLease> same = sameTarget(state.leases, request.target());
        Span window = new Span(request.start(), request.end());
        if (ByteRanges.intersects(running(same, null, now), window)) {
            return refuse(Reason.RANGE_IN_USE, "another response of this grant is sending these bytes");
        }
        long allowance = properties.resendAllowanceFor(request.targetSize());
        // The whole response is judged up front, against what the grant has sent (not what others are sending now):
        // a second whole copy is refused before its first byte instead of being cut off at the allowance.
        List<ByteLease> done = same.stream().filter(l -> !l.liveAt(now)).toList();
        long resend =
                resent(same) + ByteRanges.overlap(counted(done), new Span(request.start(), request.responseEnd()));
        if (resend > allowance) {
            return refuse(Reason.ALREADY_DELIVERED, "this grant already sent these bytes");
        }
        Mono<Void> use = state.grant.status() == GrantStatus.ACTIVE && !state.grant.holdsUse()
                ? retakeUse(state, now)
                : Mono.empty();
        ByteLease lease = new ByteLease(
                request.leaseId() != null ? request.leaseId() : UUID.randomUUID(),
                state.grant.id(),
                request.target(),
                request.archive(),
                request.targetSize(),
                request.start(),
                request.end(),
                null,
                now,
                now.plus(properties.leaseTtl()),
                null);
        return standing.then(use)
                .then(takeBytes(state.token, window.length(), request.targetSize()))
                .then(leases.insert(lease))
                .thenReturn(lease);
    }

    private Mono<ByteLease> widen(Locked state, UUID leaseId, long end, Instant now) {
        ByteLease lease = state.leases.stream()
                .filter(l -> l.id().equals(leaseId))
                .findFirst()
                .orElseThrow();
        if (lease.endedAt() != null) {
            return refuse(Reason.INVALID, "the lease has ended");
        }
        if (end > lease.targetSize()) {
            return refuse(Reason.INVALID, "a lease extends within its target");
        }
        if (end <= lease.leasedEnd()) {
            // Already that far (a retried extension whose first answer was lost): the lease as it stands.
            return checkStanding(state, now).thenReturn(lease);
        }
        List<ByteLease> same = sameTarget(state.leases, lease.target());
        // Up to where another running response of the grant begins: a stream reaching a download manager's next
        // segment gets the bytes before it, and stops there.
        long reach = end;
        for (Span other : running(same, leaseId, now)) {
            if (other.start() <= lease.leasedEnd() && lease.leasedEnd() < other.end()) {
                reach = lease.leasedEnd();
            } else if (other.start() > lease.leasedEnd()) {
                reach = Math.min(reach, other.start());
            }
        }
        if (reach <= lease.leasedEnd()) {
            return refuse(Reason.RANGE_IN_USE, "another response of this grant is sending these bytes");
        }
        Span window = new Span(lease.leasedEnd(), reach);
        long allowance = properties.resendAllowanceFor(lease.targetSize());
        if (resent(same) + ByteRanges.overlap(counted(same), window) > allowance) {
            return refuse(Reason.ALREADY_DELIVERED, "this grant already sent these bytes");
        }
        ByteLease widened = new ByteLease(
                lease.id(),
                lease.grantId(),
                lease.target(),
                lease.archive(),
                lease.targetSize(),
                lease.start(),
                window.end(),
                null,
                lease.leasedAt(),
                now.plus(properties.leaseTtl()),
                null);
        return checkStanding(state, now)
                .then(takeBytes(state.token, window.length(), lease.targetSize()))
                .then(leases.extend(leaseId, window.end(), widened.expiresAt()))
                .thenReturn(widened);
    }

    private Mono<Void> close(Locked state, UUID leaseId, long bytesSent, boolean responseComplete, Instant now) {
        ByteLease lease = state.leases.stream()
                .filter(l -> l.id().equals(leaseId))
                .findFirst()
                .orElseThrow();
        long sent = Math.max(0, Math.min(bytesSent, lease.leased()));
        // A ZIP deflated on the fly cannot be resumed: only a whole one is something the customer has.
        long sentEnd = lease.archive() == ArchiveKind.STREAMED
                ? (responseComplete ? lease.leasedEnd() : lease.start())
                : lease.start() + sent;
        return leases.end(leaseId, sentEnd, now).flatMap(ended -> {
            if (!ended) {
                return Mono.<Void>empty();
            }
            List<ByteLease> after = state.leases.stream()
                    .map(l -> l.id().equals(leaseId) ? endedCopy(l, sentEnd, now) : l)
                    .toList();
            return tokens.settleBytes(state.token.id(), lease.leasedEnd() - sentEnd, sent)
                    .then(settle(new Locked(state.token, state.grant, after), responseComplete, now));
        });
    }

    /** After a response ended: consume the use when the grant is delivered, give it back when the download broke. */
    private Mono<Void> settle(Locked state, boolean responseComplete, Instant now) {
        if (!state.grant.liveAt(now)) {
            return Mono.empty();
        }
        if (covered(state.grant, state.leases, false, now)) {
            return complete(state, now);
        }
        boolean othersRunning = state.leases.stream().anyMatch(l -> l.liveAt(now));
        if (responseComplete || othersRunning || !state.grant.holdsUse()) {
            return Mono.empty();
        }
        return grants.dropUse(state.grant.id()).filter(dropped -> dropped).flatMap(dropped -> tokens.releaseReserved(
                        state.token.id(), 1)
                .then(history.record(
                        state.token.id(),
                        "download_failed",
                        state.grant.id(),
                        "ended early after " + sentBytes(state.leases) + " bytes, use released",
                        now))
                .doOnSuccess(done -> meters.counter("drawbridge.grants.settled", "outcome", "failed")
                        .increment()));
    }

    /** Whether the grant's sent bytes cover its download: every item's file, or the whole ZIP. */
    static boolean covered(Grant grant, List<ByteLease> all, boolean countRunning, Instant now) {
        List<ByteLease> counting =
                all.stream().filter(l -> countRunning || !l.liveAt(now)).toList();
        if (grant.items().size() == 1) {
            GrantItem item = grant.items().get(0);
            return ByteRanges.covers(counted(sameTarget(counting, item.fileId())), item.size());
        }
        List<ByteLease> archive = sameTarget(counting, null);
        return !archive.isEmpty()
                && ByteRanges.covers(counted(archive), archive.get(0).targetSize());
    }

    private Mono<Void> complete(Locked state, Instant now) {
        Grant grant = state.grant;
        return grants.complete(grant.id(), now)
                .flatMap(heldUse -> tokens.consume(grant.tokenId(), heldUse)
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty()))
                .flatMap(consumed -> {
                    meters.counter("drawbridge.grants.settled", "outcome", "completed")
                            .increment();
                    Mono<Void> settled = settled(
                            state,
                            GrantOutcome.COMPLETED,
                            consumed.map(DownloadToken::consumed).orElse(null),
                            now);
                    if (consumed.isEmpty()) {
                        return history.record(
                                        grant.tokenId(), "grant_completed", grant.id(), "no use left to consume", now)
                                .then(settled);
                    }
                    DownloadToken token = consumed.get();
                    return history.record(token.id(), "grant_completed", grant.id(), null, now)
                            .then(settled)
                            .then(token.consumed() >= token.maxDownloads() ? exhausted(token, now) : Mono.empty());
                });
    }

    private Mono<Boolean> release(Locked state, Instant now) {
        return grants.releaseExpired(state.grant.id(), now)
                .flatMap(released -> (released.heldUse()
                                ? tokens.releaseReserved(released.tokenId(), 1)
                                : Mono.<Void>empty())
                        .then(history.record(
                                released.tokenId(),
                                "grant_released",
                                released.grantId(),
                                "expired before full delivery",
                                now))
                        .then(settled(state, GrantOutcome.RELEASED, null, now))
                        .doOnSuccess(done -> meters.counter("drawbridge.grants.settled", "outcome", "released")
                                .increment())
                        .thenReturn(true))
                .defaultIfEmpty(false);
    }

    /** @param downloadsConsumed the link's consumed downloads after a completed grant consumed its use, else null */
    private Mono<Void> settled(Locked state, GrantOutcome outcome, Integer downloadsConsumed, Instant now) {
        ArchiveKind archive = state.leases.stream()
                .map(ByteLease::archive)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
        Long downloadSize = state.leases.isEmpty() ? null : state.leases.get(0).targetSize();
        return events.grantSettled(
                state.grant.id(),
                state.grant.tokenId(),
                outcome,
                sentBytes(state.leases),
                downloadSize,
                archive,
                now,
                state.token.orderId(),
                downloadsConsumed);
    }

    private Mono<Void> exhausted(DownloadToken token, Instant now) {
        return tokens.markExhausted(token.id(), now).filter(first -> first).flatMap(first -> history.record(
                        token.id(), "exhausted", null, token.consumed() + " downloads", now)
                .then(events.exhausted(token, now)));
    }

    /** The grant may send at all: live or completed (a piece fetched again), its link not revoked. */
    private Mono<Void> checkStanding(Locked state, Instant now) {
        if (state.token.revokedAt() != null) {
            return refuse(Reason.REVOKED, "the link was revoked");
        }
        return switch (state.grant.statusAt(now)) {
            case ACTIVE, COMPLETED -> Mono.empty();
            case REVOKED -> refuse(Reason.REVOKED, "the link was revoked");
            case RELEASED, EXPIRED -> refuse(Reason.GRANT_ENDED, "the grant has expired");
        };
    }

    /** A grant that gave its use back (its download broke) takes one again before it sends more. */
    private Mono<Void> retakeUse(Locked state, Instant now) {
        return tokens.reserve(state.token.id(), now)
                .switchIfEmpty(refuse(Reason.NO_USE_LEFT, "the link has no download left to resume this one with"))
                .flatMap(remaining -> grants.retakeUse(state.grant.id(), now))
                .flatMap(retaken -> history.record(
                        state.token.id(), "granted", state.grant.id(), "use taken again to resume the download", now));
    }

    private Mono<Void> takeBytes(DownloadToken token, long bytes, long downloadSize) {
        return tokens.leaseBytes(token.id(), bytes, budget(token, downloadSize))
                .flatMap(taken -> taken
                        ? Mono.<Void>empty()
                        : refuse(Reason.BUDGET_SPENT, "the link has sent all the bytes its downloads allow"));
    }

    /** The link's byte budget: its downloads' worth of the download, and one resend allowance. */
    private long budget(DownloadToken token, long downloadSize) {
        return Math.addExact(
                Math.multiplyExact((long) token.maxDownloads(), downloadSize),
                properties.resendAllowanceFor(downloadSize));
    }

    /** What would make this request not fit its grant; empty when it fits. */
    static Optional<String> misfit(Grant grant, LeaseRequest request) {
        if (request.start() < 0
                || request.end() <= request.start()
                || request.responseEnd() < request.end()
                || request.responseEnd() > request.targetSize()) {
            return Optional.of("the range must be a non-empty part of the target");
        }
        if (grant.items().size() == 1) {
            GrantItem item = grant.items().get(0);
            return item.fileId().equals(request.target())
                            && request.archive() == null
                            && request.targetSize() == item.size()
                    ? Optional.empty()
                    : Optional.of("a grant of one file is served as that file, at its size");
        }
        if (request.target() != null || request.archive() == null) {
            return Optional.of("a grant of several files is served as one ZIP");
        }
        boolean sizeFits = request.archive() == ArchiveKind.STREAMED
                ? request.targetSize() == grant.totalSize()
                : request.targetSize() > grant.totalSize() && request.targetSize() <= grant.downloadSizeBound();
        return sizeFits ? Optional.empty() : Optional.of("the ZIP's size does not fit its items");
    }

    private static List<ByteLease> sameTarget(List<ByteLease> all, UUID target) {
        return all.stream().filter(l -> Objects.equals(l.target(), target)).toList();
    }

    /** Windows of running leases (but {@code except}): not to be sent by anyone else. */
    private static List<Span> running(List<ByteLease> same, UUID except, Instant now) {
        return same.stream()
                .filter(l -> l.liveAt(now) && !l.id().equals(except))
                .map(ByteLease::counted)
                .toList();
    }

    private static List<Span> counted(List<ByteLease> leases) {
        return leases.stream().map(ByteLease::counted).toList();
    }

    /** Bytes sent more than once so far: every lease's bytes, less their union. */
    private static long resent(List<ByteLease> same) {
        long total = counted(same).stream().mapToLong(Span::length).sum();
        long union = ByteRanges.merged(counted(same)).stream()
                .mapToLong(Span::length)
                .sum();
        return total - union;
    }

    private static long sentBytes(List<ByteLease> leases) {
        return counted(leases).stream().mapToLong(Span::length).sum();
    }

    private static ByteLease endedCopy(ByteLease lease, long sentEnd, Instant at) {
        return new ByteLease(
                lease.id(),
                lease.grantId(),
                lease.target(),
                lease.archive(),
                lease.targetSize(),
                lease.start(),
                lease.leasedEnd(),
                sentEnd,
                lease.leasedAt(),
                lease.expiresAt(),
                at);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static <T> Mono<T> refuse(Reason reason, String detail) {
        return Mono.error(new LeaseRefused(reason, detail));
    }

    private record Locked(DownloadToken token, Grant grant, List<ByteLease> leases) {}
}
