package io.drawbridge.token.delivery.domain;

import io.drawbridge.events.ArchiveKind;
import java.time.Instant;
import java.util.UUID;

/**
 * A window of a grant's bytes that one gateway response may send: {@code [start, leasedEnd)} of its target (a file,
 * or the ZIP of all items when {@code target} is null). The response leases before it sends, extends window by
 * window, and ends the lease with what it sent; {@code sentEnd} is null until then.
 *
 * @param targetSize bytes of the whole target: the file, or the ZIP as the gateway serves it
 */
public record ByteLease(
        UUID id,
        UUID grantId,
        UUID target,
        ArchiveKind archive,
        long targetSize,
        long start,
        long leasedEnd,
        Long sentEnd,
        Instant leasedAt,
        Instant expiresAt,
        Instant endedAt) {

    /** Still running: its window is not to be sent by anyone else. */
    public boolean liveAt(Instant now) {
        return endedAt == null && now.isBefore(expiresAt);
    }

    /**
     * The bytes taken as sent: what the gateway said it sent, or the whole window of a lease that is still running
     * ({@code inFlight}) or that expired without a word (its gateway is gone, and it may have sent them all).
     */
    public ByteRanges.Span counted() {
        return new ByteRanges.Span(start, sentEnd != null ? sentEnd : leasedEnd);
    }

    public long leased() {
        return leasedEnd - start;
    }
}
