package io.drawbridge.token.delivery.domain;

import io.drawbridge.token.issue.domain.DownloadToken;
import io.drawbridge.token.issue.domain.TokenEvents;
import io.drawbridge.token.issue.domain.TokenHistory;
import io.drawbridge.token.issue.domain.TokenLedger;
import io.drawbridge.token.redeem.domain.Grant;
import io.drawbridge.token.redeem.domain.GrantBook;
import io.drawbridge.token.redeem.domain.GrantStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Settles grants from what the gateway reports it delivered. A grant's reserved use becomes a consumed one only
 * when the union of delivered ranges covers every item (or the ZIP) in full; a response that ended early gives
 * the use back, so a failed download does not burn the link. Every delivered byte counts against the token's
 * byte budget, which the gateway enforces.
 */
@Service
public class DeliveryLedger {

    private static final Logger log = LoggerFactory.getLogger(DeliveryLedger.class);

    private final GrantBook grants;
    private final RangeLog ranges;
    private final TokenLedger tokens;
    private final TokenHistory history;
    private final TokenEvents events;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final MeterRegistry meters;

    DeliveryLedger(
            GrantBook grants,
            RangeLog ranges,
            TokenLedger tokens,
            TokenHistory history,
            TokenEvents events,
            TransactionalOperator tx,
            Clock clock,
            MeterRegistry meters) {
        this.grants = grants;
        this.ranges = ranges;
        this.tokens = tokens;
        this.history = history;
        this.events = events;
        this.tx = tx;
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
                        Math.multiplyExact((long) token.maxDownloads() + 1, grant.downloadSizeBound()))));
    }

    /**
     * Makes a live grant that gave its use back (an interrupted download) hold one again before it serves more
     * bytes: resuming takes a use like a new download would, so that a use given back and taken by another grant
     * cannot also finish this one. Grant and token change together or not at all; the answer is the grant's
     * standing afterwards, or {@link NoUseLeft} when the token has none to give.
     */
    public Mono<GrantStanding> holdUse(UUID grantId) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return grants.findById(grantId)
                .flatMap(grant -> tx.transactional(grants.retakeUse(grant.id(), now)
                        .flatMap(retaken -> retaken ? retakeFromToken(grant, now) : Mono.<Void>empty())))
                .then(standing(grantId));
    }

    private Mono<Void> retakeFromToken(Grant grant, Instant now) {
        return tokens.reserve(grant.tokenId(), now)
                .switchIfEmpty(Mono.error(() -> new NoUseLeft(grant.id())))
                .flatMap(remaining -> history.record(
                        grant.tokenId(), "granted", grant.id(), "use taken again to resume the download", now));
    }

    /** The token has no use left for a grant that gave its own back; nothing was changed. */
    public static final class NoUseLeft extends RuntimeException {
        NoUseLeft(UUID grantId) {
            super("no use left to resume grant " + grantId, null, false, false);
        }
    }

    /** Applies one report in one transaction (the caller's, when there is one). */
    public Mono<Void> record(DeliveryReport report) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return grants.findById(report.grantId())
                .switchIfEmpty(Mono.fromRunnable(
                        () -> log.warn("Delivery report for unknown grant {} ignored", report.grantId())))
                .flatMap(grant -> tx.transactional(apply(grant, report, now)));
    }

    private Mono<Void> apply(Grant grant, DeliveryReport report, Instant now) {
        long start = Math.max(0, report.rangeStart());
        long sent = Math.max(0, report.bytesSent());
        Mono<Void> bytes = sent > 0 ? tokens.addBytesDelivered(grant.tokenId(), sent) : Mono.empty();
        Mono<Void> range;
        if (report.fileId() == null && !laidOutArchive(grant, report)) {
            // A ZIP streamed without a length (items without a CRC-32, or an older gateway), never resumed: the
            // gateway reports the items' total as its size. A completed response from byte 0 delivered all of it; a
            // broken one nothing a client could keep.
            range = report.completed() && start == 0
                    ? ranges.record(
                            grant.id(), new DeliveredRange(null, 0, report.totalSize(), report.totalSize()), now)
                    : Mono.empty();
        } else {
            // A file, or a ZIP laid out up front (exact length, served in ranges): its ranges add up like a file's.
            range = report.completed() || sent > 0
                    ? ranges.record(
                            grant.id(),
                            new DeliveredRange(report.fileId(), start, start + sent, report.totalSize()),
                            now)
                    : Mono.empty();
        }
        // A broken response can still be the one that completes the file: the gateways report independently, so
        // the DownloadFailed of an interrupted download may arrive after the DownloadCompleted of its resume.
        return bytes.then(range)
                .then(deliveredInFull(grant))
                .flatMap(whole -> whole
                        ? settle(grant, now)
                        : report.completed() ? Mono.<Void>empty() : fail(grant, report, now));
    }

    /**
     * Whether an archive report is about a ZIP laid out before streaming (its size is the archive's exact length,
     * always more than the items' total because of its headers) rather than one streamed without a length (its size
     * is the items' total). Telling them apart by the size keeps old gateways and old grants settling as before.
     */
    static boolean laidOutArchive(Grant grant, DeliveryReport report) {
        return report.totalSize() > grant.totalSize();
    }

    private Mono<Void> fail(Grant grant, DeliveryReport report, Instant now) {
        String reason = report.failureReason() == null ? "aborted" : report.failureReason();
        return grants.dropUse(grant.id()).flatMap(dropped -> {
            Mono<Void> release = dropped ? tokens.releaseReserved(grant.tokenId(), 1) : Mono.empty();
            String detail = reason + " after " + report.bytesSent() + " bytes" + (dropped ? ", use released" : "");
            return release.then(history.record(grant.tokenId(), "download_failed", grant.id(), detail, now))
                    .doOnSuccess(done -> {
                        if (dropped) {
                            meters.counter("drawbridge.grants.settled", "outcome", "failed")
                                    .increment();
                        }
                    });
        });
    }

    private Mono<Boolean> deliveredInFull(Grant grant) {
        return ranges.of(grant.id())
                .collectList()
                .map(delivered -> ByteRanges.deliverComplete(grant.items(), delivered));
    }

    private Mono<Void> settle(Grant grant, Instant now) {
        return grants.complete(grant.id(), now)
                .flatMap(heldUse -> tokens.consume(grant.tokenId(), heldUse)
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty()))
                .flatMap(consumed -> {
                    meters.counter("drawbridge.grants.settled", "outcome", "completed")
                            .increment();
                    if (consumed.isEmpty()) {
                        return history.record(
                                grant.tokenId(), "grant_completed", grant.id(), "no use left to consume", now);
                    }
                    DownloadToken token = consumed.get();
                    return history.record(token.id(), "grant_completed", grant.id(), null, now)
                            .then(token.consumed() >= token.maxDownloads() ? exhausted(token, now) : Mono.empty());
                });
    }

    private Mono<Void> exhausted(DownloadToken token, Instant now) {
        return tokens.markExhausted(token.id(), now).filter(first -> first).flatMap(first -> history.record(
                        token.id(), "exhausted", null, token.consumed() + " downloads", now)
                .then(events.exhausted(token, now)));
    }
}
