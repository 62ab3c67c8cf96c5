package io.drawbridge.gateway.grant.web;

import io.drawbridge.gateway.grant.client.GrantClient;
import io.drawbridge.gateway.grant.client.GrantClient.Lease;
import io.drawbridge.gateway.grant.client.GrantClient.LeaseRequest;
import java.util.UUID;
import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The bytes of one response, window by window: each window is leased from token-service before it is read from
 * storage, so that nothing is sent that the grant may not send, whatever other responses, ranges and gateways do at
 * the same time. The first window is leased and opened before the response is committed (a refusal is still a clean
 * error answer); a later window that is refused cuts the response short of its length.
 */
final class LeasedBody {

    /** Reads {@code [offset, offset + length)} of what the response sends; emits once that read is open. */
    @FunctionalInterface
    interface WindowReader {
        Mono<Flux<DataBuffer>> read(long offset, long length);
    }

    /** The lease the response holds and the body to write. */
    record Opened(Lease lease, Flux<DataBuffer> body) {}

    private LeasedBody() {}

    /**
     * Leases and opens {@code [start, end)} of {@code target} (null for the ZIP of all items, served as {@code
     * archive}), {@code window} bytes at a time.
     */
    static Mono<Opened> open(
            GrantClient grants,
            UUID grantId,
            UUID target,
            io.drawbridge.events.ArchiveKind archive,
            long targetSize,
            long start,
            long end,
            long window,
            WindowReader reader) {
        long firstEnd = end - start <= window ? end : start + window;
        return grants.lease(grantId, new LeaseRequest(target, archive, targetSize, start, firstEnd, end))
                .flatMap(lease -> reader.read(start, firstEnd - start)
                        .onErrorResume(e -> grants.end(lease, 0, false).then(Mono.error(e)))
                        .map(first -> new Opened(
                                lease, Flux.concat(first, rest(grants, lease, firstEnd, end, window, reader)))));
    }

    private static Flux<DataBuffer> rest(
            GrantClient grants, Lease lease, long from, long end, long window, WindowReader reader) {
        if (from >= end) {
            return Flux.empty();
        }
        return Flux.<Long, Long>generate(() -> from, (offset, sink) -> {
                    sink.next(offset);
                    if (offset + window >= end) {
                        sink.complete();
                    }
                    return offset + window;
                })
                .concatMap(
                        offset -> {
                            long windowEnd = Math.min(end, offset + window);
                            return grants.extend(lease, windowEnd)
                                    .then(reader.read(offset, windowEnd - offset))
                                    .flatMapMany(body -> body);
                        },
                        0);
    }
}
