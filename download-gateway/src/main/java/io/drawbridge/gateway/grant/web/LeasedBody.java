package io.drawbridge.gateway.grant.web;

import io.drawbridge.events.ArchiveKind;
import io.drawbridge.gateway.grant.client.GrantClient;
import io.drawbridge.gateway.grant.client.GrantClient.Lease;
import io.drawbridge.gateway.grant.client.GrantClient.LeaseRequest;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The bytes of one response, sent only as far as token-service has leased them: the first window is leased before
 * the response is committed (a refusal is still a clean error answer), and a buffer that would go past the leased end
 * waits until the lease is extended by another window, while the storage read waits too (back-pressure: it is one
 * read of the whole range, paused, not one read per window). A window refused mid-stream cuts the response short of
 * its length, at the last whole buffer within the lease.
 */
final class LeasedBody {

    /** Opens the read of {@code [offset, offset + length)} of what the response sends. */
    @FunctionalInterface
    interface Reader {
        Mono<Flux<DataBuffer>> read(long offset, long length);
    }

    /** The lease the response holds and the body to write. */
    record Opened(Lease lease, Flux<DataBuffer> body) {}

    private LeasedBody() {}

    /**
     * Leases the first {@code window} bytes of {@code [start, end)} of {@code target} (null for the ZIP of all items,
     * served as {@code archive}), opens the read, and gates it by the lease.
     */
    static Mono<Opened> open(
            GrantClient grants,
            UUID grantId,
            UUID target,
            ArchiveKind archive,
            long targetSize,
            long start,
            long end,
            long window,
            Reader reader) {
        long firstEnd = end - start <= window ? end : start + window;
        return grants.lease(grantId, new LeaseRequest(target, archive, targetSize, start, firstEnd, end))
                .flatMap(lease -> reader.read(start, end - start)
                        .onErrorResume(e -> grants.end(lease, 0, false).then(Mono.error(e)))
                        .map(body -> new Opened(lease, gated(grants, lease, body, start, end, window))));
    }

    /**
     * {@code body} (the bytes from {@code start}) let through only as far as the lease reaches. The next window is
     * asked for when the stream is half way through the current one, so that a fast stream rarely waits for it.
     */
    private static Flux<DataBuffer> gated(
            GrantClient grants, Lease first, Flux<DataBuffer> body, long start, long end, long window) {
        return Flux.defer(() -> {
            Extensions extensions = new Extensions(grants, first, end, window);
            long[] position = {start};
            // Each buffer is held (not copied) until what it ends at is leased; a buffer dropped while it waits (the
            // client went away, the lease refused) is released by the discard hook, never by hand.
            return body.concatMap(
                            buffer -> Mono.just(buffer).delayUntil(held -> {
                                position[0] += held.readableByteCount();
                                return extensions.covering(position[0]);
                            }),
                            1)
                    .doOnDiscard(DataBuffer.class, DataBufferUtils::release);
        });
    }

    /**
     * The lease's extensions for one response: at most one asked for at a time, the next one ahead of need, each
     * twice the last (up to {@link #MAX_WINDOW}): a fast stream of a big file asks a dozen times, not a hundred, and
     * token-service grants each as far as another response's bytes allow.
     */
    private static final class Extensions {
        static final long MAX_WINDOW = 256L * 1024 * 1024;

        private final GrantClient grants;
        private final Lease lease;
        private final long end;
        /** The next window's size: the first window's, doubling with every extension up to {@link #MAX_WINDOW}. */
        private volatile long window;

        private final AtomicLong leasedEnd;
        private final AtomicReference<Mono<Lease>> ahead = new AtomicReference<>();

        Extensions(GrantClient grants, Lease lease, long end, long window) {
            this.grants = grants;
            this.lease = lease;
            this.end = end;
            this.window = window;
            this.leasedEnd = new AtomicLong(lease.leasedEnd());
        }

        /** Completes once {@code [.., position)} is leased (at once when it is); asks for the next window early. */
        Mono<Void> covering(long position) {
            long leased = leasedEnd.get();
            if (leased < end && position > leased - window / 2) {
                ask(position);
            }
            if (position <= leased) {
                return Mono.empty();
            }
            return Mono.defer(() -> position <= leasedEnd.get()
                            ? Mono.<Void>empty()
                            : ask(position)
                                    .then(Mono.defer(() -> position <= leasedEnd.get()
                                            ? Mono.<Void>empty()
                                            : ask(position).then())))
                    .then();
        }

        /** The extension under way, or a new one to the window after the leased end (covering {@code position}). */
        private Mono<Lease> ask(long position) {
            Mono<Lease> pending = ahead.get();
            if (pending != null) {
                return pending;
            }
            long target = Math.min(end, Math.max(position, leasedEnd.get() + window));
            window = Math.min(MAX_WINDOW, window * 2);
            Mono<Lease>[] self = new Mono[1];
            self[0] = grants.extend(lease, target)
                    .doOnNext(extended -> leasedEnd.accumulateAndGet(extended.leasedEnd(), Math::max))
                    .doFinally(signal -> ahead.compareAndSet(self[0], null))
                    .cache();
            if (!ahead.compareAndSet(null, self[0])) {
                return ahead.get() == null ? self[0] : ahead.get();
            }
            // Started now; a refusal surfaces when the bytes it was for are needed.
            self[0].subscribe(null, e -> {});
            return self[0];
        }
    }

    /**
     * Leases {@code [0, size)} of a ZIP deflated as it goes, whole and once: its output bytes are not positions of
     * anything known up front (it may come out longer than its items), so it is not gated.
     */
    static Mono<Opened> openStreamedArchive(GrantClient grants, UUID grantId, long size, Flux<DataBuffer> body) {
        return grants.lease(grantId, new LeaseRequest(null, ArchiveKind.STREAMED, size, 0, size, size))
                .map(lease -> new Opened(lease, body));
    }
}
