package io.drawbridge.gateway.grant.web;

import io.drawbridge.events.ArchiveKind;
import io.drawbridge.events.GrantedItem;
import io.drawbridge.gateway.config.GatewayProperties;
import io.drawbridge.gateway.grant.client.GrantClient;
import io.drawbridge.gateway.grant.client.GrantView;
import io.drawbridge.gateway.grant.domain.ByteRange;
import io.drawbridge.gateway.grant.domain.FileNames;
import io.drawbridge.gateway.grant.domain.GrantLinks;
import io.drawbridge.gateway.grant.domain.GrantSigner;
import io.drawbridge.gateway.grant.domain.RangeRequest;
import io.drawbridge.gateway.grant.messaging.Delivery;
import io.drawbridge.gateway.grant.messaging.DownloadOutcomes;
import io.drawbridge.gateway.grant.storage.ObjectStorage;
import io.drawbridge.gateway.grant.storage.ZipArchives;
import io.drawbridge.gateway.grant.storage.ZipLayout;
import io.drawbridge.gateway.web.ClientAddresses;
import io.drawbridge.gateway.web.DownloadRefused;
import io.drawbridge.gateway.web.PublicError;
import io.drawbridge.gateway.web.RefusalResponses;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET|HEAD /dl/{grant}}: streams what a grant covers. The grant's signature and expiry are checked here; what
 * each response may send is token-service's answer: every window of bytes is leased before it is sent
 * ({@link LeasedBody}), and the lease is ended with what was sent. One item is
 * streamed as itself with exact lengths and single-range support (resume); several are one ZIP. Each
 * response reports how it ended (DownloadCompleted / DownloadFailed). Several items whose CRC-32s are all known make a
 * ZIP laid out up front ({@link ZipLayout}), served with the same length, ETag and range support as a file; without
 * them the ZIP is streamed deflated, without a length, and cannot be resumed.
 */
@Controller
class GrantDownloadController {

    private static final String ZIP_KIND = "application/zip";

    private final GrantSigner signer;
    private final GrantClient grants;
    private final GrantLinks links;
    private final ObjectStorage storage;
    private final ZipArchives zips;
    private final DownloadOutcomes outcomes;
    private final ClientAddresses addresses;
    private final RefusalResponses refusals;
    private final Clock clock;
    private final long leaseWindow;

    GrantDownloadController(
            GrantSigner signer,
            GrantClient grants,
            GrantLinks links,
            ObjectStorage storage,
            ZipArchives zips,
            DownloadOutcomes outcomes,
            ClientAddresses addresses,
            RefusalResponses refusals,
            Clock clock,
            GatewayProperties properties) {
        this.signer = signer;
        this.grants = grants;
        this.links = links;
        this.storage = storage;
        this.zips = zips;
        this.outcomes = outcomes;
        this.addresses = addresses;
        this.refusals = refusals;
        this.clock = clock;
        this.leaseWindow = properties.tokenService().leaseWindow().toBytes();
    }

    @GetMapping("/dl/{grant}")
    Mono<Void> download(@PathVariable String grant, ServerWebExchange exchange) {
        long startedNanos = System.nanoTime();
        Instant startedAt = clock.instant();
        ServerHttpRequest request = exchange.getRequest();
        String clientIp = addresses.of(request);
        return Mono.defer(() -> {
                    GrantSigner.Verification verification = signer.verify(grant, clientIp);
                    return switch (verification.status()) {
                        case INVALID -> Mono.error(DownloadRefused.of(PublicError.INVALID_TOKEN));
                        case EXPIRED -> Mono.error(DownloadRefused.of(PublicError.TOKEN_EXPIRED));
                        case VALID ->
                            grants.find(verification.grantId().orElseThrow())
                                    .switchIfEmpty(Mono.error(DownloadRefused.of(PublicError.INVALID_TOKEN)));
                    };
                })
                .flatMap(view -> {
                    Context context = new Context(exchange, view, clientIp, startedAt, startedNanos);
                    return view.items().size() == 1 ? single(context) : archive(context);
                })
                .onErrorResume(
                        DownloadRefused.class,
                        refusal -> exchange.getResponse().isCommitted()
                                ? Mono.error(refusal)
                                : refusals.write(exchange, refusal));
    }

    private Mono<Void> single(Context context) {
        GrantedItem item = context.view.items().get(0);
        ServerHttpRequest request = context.exchange.getRequest();
        ServerHttpResponse response = context.exchange.getResponse();
        String etag = "\"" + item.sha256() + "\"";
        RangeRequest.Decision decision = rangeOf(request, etag, item.size());
        checkStillValid(context.view);
        HttpHeaders headers = response.getHeaders();
        headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
        headers.setETag(etag);
        if (decision.unsatisfiable()) {
            response.setStatusCode(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
            headers.set(HttpHeaders.CONTENT_RANGE, "bytes */" + item.size());
            headers.setContentLength(0);
            return response.setComplete();
        }
        ByteRange range = decision.range();
        if (request.getMethod() == HttpMethod.HEAD) {
            fileHeaders(response, item, range);
            return response.setComplete();
        }
        Delivery delivery =
                delivery(context, item.fileId(), range.start(), range.length(), item.size(), item.platform(), null);
        if (range.length() == 0) {
            fileHeaders(response, item, range);
            return outcomes.track(delivery, Flux.empty(), response::writeWith);
        }
        return LeasedBody.open(
                        grants,
                        context.view.grantId(),
                        item.fileId(),
                        null,
                        item.size(),
                        range.start(),
                        range.start() + range.length(),
                        leaseWindow,
                        (offset, length) -> storage.open(item.objectKey(), offset, length))
                .flatMap(opened -> {
                    fileHeaders(response, item, range);
                    return outcomes.track(delivery.leased(opened.lease()), opened.body(), response::writeWith);
                });
    }

    /** Single Range requests, honoured only when If-Range (if any) names this exact representation. */
    private static RangeRequest.Decision rangeOf(ServerHttpRequest request, String etag, long size) {
        String rangeHeader = request.getHeaders().getFirst(HttpHeaders.RANGE);
        String ifRange = request.getHeaders().getFirst(HttpHeaders.IF_RANGE);
        if (rangeHeader != null && ifRange != null && !ifRange.trim().equals(etag)) {
            rangeHeader = null; // the client's copy is not this file (or it sent a date): start over
        }
        return RangeRequest.decide(rangeHeader, size);
    }

    private Mono<Void> archive(Context context) {
        GrantView view = context.view;
        if (view.items().isEmpty()) {
            return Mono.error(DownloadRefused.of(PublicError.FILE_NOT_FOUND));
        }
        Optional<ZipLayout> layout = zips.layout(view.items());
        return layout.isPresent() ? laidOutArchive(context, layout.get()) : streamedArchive(context);
    }

    /**
     * A ZIP whose every byte is known up front (every item has a CRC-32): exact length, strong ETag and single
     * ranges, like a file; each response reports its range of the archive's bytes.
     */
    private Mono<Void> laidOutArchive(Context context, ZipLayout layout) {
        GrantView view = context.view;
        ServerHttpRequest request = context.exchange.getRequest();
        ServerHttpResponse response = context.exchange.getResponse();
        String etag = layout.etag();
        long length = layout.length();
        RangeRequest.Decision decision = rangeOf(request, etag, length);
        checkStillValid(view);
        HttpHeaders headers = response.getHeaders();
        headers.set(HttpHeaders.ACCEPT_RANGES, "bytes");
        headers.setETag(etag);
        if (decision.unsatisfiable()) {
            response.setStatusCode(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
            headers.set(HttpHeaders.CONTENT_RANGE, "bytes */" + length);
            headers.setContentLength(0);
            return response.setComplete();
        }
        ByteRange range = decision.range();
        String name = links.archiveName(view.archiveName());
        if (request.getMethod() == HttpMethod.HEAD) {
            laidOutArchiveHeaders(response, name, range, length);
            return response.setComplete();
        }
        Delivery delivery =
                delivery(context, null, range.start(), range.length(), length, platformOf(view), ArchiveKind.LAID_OUT);
        if (range.length() == 0) {
            laidOutArchiveHeaders(response, name, range, length);
            return outcomes.track(delivery, Flux.empty(), response::writeWith);
        }
        return storage.requireAll(zips.objectsIn(layout, range))
                .then(LeasedBody.open(
                        grants,
                        view.grantId(),
                        null,
                        ArchiveKind.LAID_OUT,
                        length,
                        range.start(),
                        range.start() + range.length(),
                        leaseWindow,
                        (offset, bytes) -> Mono.just(
                                zips.stream(layout, new ByteRange(offset, bytes, true), response.bufferFactory()))))
                .flatMap(opened -> {
                    laidOutArchiveHeaders(response, name, range, length);
                    return outcomes.track(delivery.leased(opened.lease()), opened.body(), response::writeWith);
                });
    }

    /** A ZIP of items without CRCs (granted before they were carried): streamed deflated, no length, no ranges. */
    private Mono<Void> streamedArchive(Context context) {
        GrantView view = context.view;
        checkStillValid(view);
        ServerHttpResponse response = context.exchange.getResponse();
        String name = links.archiveName(view.archiveName());
        if (context.exchange.getRequest().getMethod() == HttpMethod.HEAD) {
            archiveHeaders(response, name);
            return response.setComplete();
        }
        long totalSize = view.items().stream().mapToLong(GrantedItem::size).sum();
        Delivery delivery = delivery(context, null, 0, -1, totalSize, platformOf(view), ArchiveKind.STREAMED);
        // Its bytes are not known before they are written: the lease is the items' total, taken whole, once.
        Mono<LeasedBody.Opened> opened = Mono.defer(() -> {
            Flux<DataBuffer> body = zips.stream(view.items(), response.bufferFactory());
            return totalSize == 0
                    ? Mono.just(new LeasedBody.Opened(null, body))
                    : LeasedBody.openStreamedArchive(grants, view.grantId(), totalSize, body);
        });
        return storage.requireAll(
                        view.items().stream().map(GrantedItem::objectKey).toList())
                .then(opened)
                .flatMap(body -> {
                    archiveHeaders(response, name);
                    return outcomes.track(delivery.leased(body.lease()), body.body(), response::writeWith);
                });
    }

    /**
     * Whether the grant can serve at all (live, or completed: a download manager re-fetching a piece). What each
     * response may send is its lease's answer, not this view's.
     */
    private void checkStillValid(GrantView view) {
        String status = Objects.requireNonNullElse(view.status(), "");
        switch (status) {
            case "active", "completed" -> {}
            case "revoked" -> throw DownloadRefused.of(PublicError.TOKEN_REVOKED);
            case "expired", "released" -> throw DownloadRefused.of(PublicError.TOKEN_EXPIRED);
            default -> throw DownloadRefused.of(PublicError.INVALID_TOKEN);
        }
        if (view.expiresAt() != null && !clock.instant().isBefore(view.expiresAt())) {
            throw DownloadRefused.of(PublicError.TOKEN_EXPIRED);
        }
    }

    private static void fileHeaders(ServerHttpResponse response, GrantedItem item, ByteRange range) {
        HttpHeaders headers = response.getHeaders();
        response.setStatusCode(range.partial() ? HttpStatus.PARTIAL_CONTENT : HttpStatus.OK);
        headers.setContentType(contentType(item.contentType()));
        headers.set(HttpHeaders.CONTENT_DISPOSITION, FileNames.contentDisposition(item.name()));
        headers.setContentLength(range.length());
        if (range.partial()) {
            headers.set(HttpHeaders.CONTENT_RANGE, "bytes " + range.start() + "-" + range.end() + "/" + item.size());
        }
    }

    private static String platformOf(GrantView view) {
        List<String> platforms =
                view.items().stream().map(GrantedItem::platform).distinct().toList();
        return platforms.size() == 1 ? platforms.get(0) : null;
    }

    private static void laidOutArchiveHeaders(ServerHttpResponse response, String name, ByteRange range, long length) {
        HttpHeaders headers = response.getHeaders();
        response.setStatusCode(range.partial() ? HttpStatus.PARTIAL_CONTENT : HttpStatus.OK);
        headers.setContentType(MediaType.parseMediaType(ZIP_KIND));
        headers.set(HttpHeaders.CONTENT_DISPOSITION, FileNames.contentDisposition(name));
        headers.setContentLength(range.length());
        if (range.partial()) {
            headers.set(HttpHeaders.CONTENT_RANGE, "bytes " + range.start() + "-" + range.end() + "/" + length);
        }
    }

    private static void archiveHeaders(ServerHttpResponse response, String name) {
        HttpHeaders headers = response.getHeaders();
        response.setStatusCode(HttpStatus.OK);
        headers.setContentType(MediaType.parseMediaType(ZIP_KIND));
        headers.set(HttpHeaders.CONTENT_DISPOSITION, FileNames.contentDisposition(name));
        headers.set(HttpHeaders.ACCEPT_RANGES, "none");
    }

    static MediaType contentType(String value) {
        if (value == null || value.isBlank()) {
            return MediaType.APPLICATION_OCTET_STREAM;
        }
        try {
            MediaType type = MediaType.parseMediaType(value);
            return type.isConcrete() ? type : MediaType.APPLICATION_OCTET_STREAM;
        } catch (InvalidMediaTypeException e) {
            return MediaType.APPLICATION_OCTET_STREAM;
        }
    }

    private Delivery delivery(
            Context context,
            UUID fileId,
            long start,
            long promised,
            long totalSize,
            String platform,
            ArchiveKind archive) {
        String userAgent = context.exchange.getRequest().getHeaders().getFirst(HttpHeaders.USER_AGENT);
        if (userAgent != null && userAgent.length() > 512) {
            userAgent = userAgent.substring(0, 512);
        }
        return new Delivery(
                context.view.grantId(),
                context.view.tokenId(),
                fileId,
                start,
                promised,
                totalSize,
                platform,
                context.clientIp,
                userAgent == null ? "" : userAgent,
                context.startedAt,
                context.startedNanos,
                archive,
                null);
    }

    private record Context(
            ServerWebExchange exchange, GrantView view, String clientIp, Instant startedAt, long startedNanos) {}
}
