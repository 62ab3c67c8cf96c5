package io.drawbridge.file.share.web;

import io.drawbridge.file.share.domain.Share;
import io.drawbridge.file.share.domain.ShareRefused;
import io.drawbridge.file.share.domain.Shares;
import io.drawbridge.file.share.domain.Shares.StoredContent;
import io.drawbridge.file.shared.web.Problems;
import io.drawbridge.file.storage.StorageUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.json.JsonMapper;

/**
 * One-time shares for the gateway (service token; the gateway is their public face). Tokens and grant keys travel
 * in bodies and headers, never in these URLs (access logs). Refusals are problem documents with the public API's
 * codes, plus {@code tries_left} for a wrong password, so the gateway can pass them on unchanged.
 */
@RestController
@RequestMapping("/internal/v1/shares")
class InternalShareController {

    /** The header that carries a grant's key (the part of the download URL after the grant id). */
    static final String GRANT_KEY_HEADER = "X-Share-Grant-Key";

    private final Shares shares;
    private final JsonMapper json;

    InternalShareController(Shares shares, JsonMapper json) {
        this.shares = shares;
        this.json = json;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreatedResponse(UUID id, String token, Instant expiresAt, int maxReads, String kind, long size) {}

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<Object>> create(@RequestBody Flux<PartEvent> parts) {
        Map<String, String> fields = new LinkedHashMap<>();
        List<StoredContent> stored = new ArrayList<>();
        return parts.windowUntil(PartEvent::isLast)
                .concatMap(part -> part.switchOnFirst((first, events) -> {
                    if (first.get() instanceof FilePartEvent file
                            && "file".equals(file.name())
                            && !file.filename().isBlank()) {
                        MediaType type = file.headers().getContentType();
                        return shares.store(
                                        Share.FILE,
                                        file.filename(),
                                        type == null ? null : type.toString(),
                                        events.map(PartEvent::content))
                                .doOnNext(stored::add)
                                .then();
                    }
                    if (first.get() instanceof FormPartEvent form) {
                        if ("text".equals(form.name()) && !form.value().isEmpty()) {
                            byte[] text = form.value().getBytes(StandardCharsets.UTF_8);
                            return events.doOnNext(event -> DataBufferUtils.release(event.content()))
                                    .then(shares.store(
                                                    Share.TEXT,
                                                    null,
                                                    "text/plain; charset=utf-8",
                                                    Flux.just((DataBuffer)
                                                            DefaultDataBufferFactory.sharedInstance.wrap(text)))
                                            .doOnNext(stored::add))
                                    .then();
                        }
                        fields.put(form.name(), form.value());
                    }
                    return events.doOnNext(event -> DataBufferUtils.release(event.content()))
                            .then();
                }))
                .doOnDiscard(PartEvent.class, event -> DataBufferUtils.release(event.content()))
                .then(Mono.defer(() -> {
                    if (stored.size() != 1) {
                        return Flux.fromIterable(stored)
                                .concatMap(shares::discard)
                                .then(Mono.error(new ShareRefusedProblem(
                                        HttpStatus.BAD_REQUEST,
                                        stored.isEmpty() ? "missing_content" : "validation_failed",
                                        stored.isEmpty()
                                                ? "Send a part named 'file' or a field named 'text'."
                                                : "Send either a file or a text, not both.",
                                        null)));
                    }
                    StoredContent content = stored.get(0);
                    Shares.Options options;
                    try {
                        options = new Shares.Options(
                                number(fields.get("expires_in")),
                                integer(fields.get("max_reads")),
                                fields.get("password"));
                    } catch (NumberFormatException e) {
                        return shares.discard(content)
                                .then(Mono.error(new ShareRefusedProblem(
                                        HttpStatus.BAD_REQUEST,
                                        "validation_failed",
                                        "expires_in and max_reads are whole numbers.",
                                        null)));
                    }
                    return shares.create(content, options).map(created -> ResponseEntity.status(HttpStatus.CREATED)
                            .body((Object) new CreatedResponse(
                                    created.id(),
                                    created.token(),
                                    created.expiresAt(),
                                    created.maxReads(),
                                    content.kind(),
                                    content.size())));
                }))
                .onErrorResume(e -> {
                    Mono<Void> cleanup = Flux.fromIterable(stored)
                            .concatMap(content -> shares.discard(content).onErrorComplete())
                            .then();
                    return cleanup.then(answer(e));
                });
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record TokenRequest(String token, String password) {}

    @PostMapping("/lookup")
    Mono<ResponseEntity<Object>> lookup(@RequestBody TokenRequest request) {
        return shares.describe(request.token())
                .map(view -> ResponseEntity.ok((Object) view))
                .onErrorResume(InternalShareController::answer);
    }

    @PostMapping("/read")
    Mono<ResponseEntity<Object>> read(@RequestBody TokenRequest request) {
        return shares.read(request.token(), request.password())
                .map(read -> ResponseEntity.ok((Object) read))
                .onErrorResume(InternalShareController::answer);
    }

    /** A granted file's bytes {@code [start, end)} (the whole file without them), decrypted. */
    @GetMapping("/grants/{grantId}/content")
    Mono<ResponseEntity<Flux<DataBuffer>>> content(
            @PathVariable UUID grantId,
            @RequestHeader(GRANT_KEY_HEADER) String grantKey,
            @RequestParam(required = false) Long start,
            @RequestParam(required = false) Long end) {
        return shares.content(grantId, grantKey, start, end)
                .map(content -> {
                    HttpHeaders headers = new HttpHeaders();
                    headers.setContentLength(content.end() - content.start());
                    headers.set("X-Share-Size", Long.toString(content.size()));
                    if (content.name() != null) {
                        headers.set("X-Share-Name", java.net.URLEncoder.encode(content.name(), StandardCharsets.UTF_8));
                    }
                    if (content.sha256() != null) {
                        headers.set("X-Share-Sha256", content.sha256());
                    }
                    headers.set(
                            "X-Share-Content-Type",
                            content.contentType() == null ? "application/octet-stream" : content.contentType());
                    return ResponseEntity.ok()
                            .headers(headers)
                            .contentType(MediaType.APPLICATION_OCTET_STREAM)
                            .body(content.bytes());
                })
                .onErrorResume(e -> answer(e).map(problem -> ResponseEntity.status(problem.getStatusCode())
                        .headers(problem.getHeaders())
                        .body(Flux.just((DataBuffer) DefaultDataBufferFactory.sharedInstance.wrap(
                                json.writeValueAsBytes(problem.getBody()))))));
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record DeliveryReport(long start, long end, long sent, boolean complete) {}

    @PostMapping("/grants/{grantId}/deliveries")
    Mono<ResponseEntity<Void>> delivered(@PathVariable UUID grantId, @RequestBody DeliveryReport report) {
        return shares.delivered(grantId, report.start(), report.end(), report.sent(), report.complete())
                .thenReturn(ResponseEntity.noContent().build());
    }

    private static Long number(String text) {
        return text == null || text.isBlank() ? null : Long.parseLong(text.trim());
    }

    private static Integer integer(String text) {
        return text == null || text.isBlank() ? null : Integer.parseInt(text.trim());
    }

    /** A refusal of this API as a problem response (other failures go on to the platform's handler). */
    private static Mono<ResponseEntity<Object>> answer(Throwable e) {
        if (e instanceof ShareRefused refused) {
            HttpStatus status =
                    switch (refused.reason()) {
                        case INVALID_TOKEN -> HttpStatus.UNAUTHORIZED;
                        case WRONG_PASSWORD -> HttpStatus.FORBIDDEN;
                        case LOCKED -> HttpStatus.LOCKED;
                        case GONE -> HttpStatus.GONE;
                        case BUSY -> HttpStatus.CONFLICT;
                        case INVALID, EMPTY -> HttpStatus.BAD_REQUEST;
                        case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
                    };
            return Mono.just(problem(status, refused.reason().code(), refused.detail(), refused.triesLeft()));
        }
        if (e instanceof ShareRefusedProblem problem) {
            return Mono.just(problem(problem.status, problem.error, problem.getMessage(), null));
        }
        return Mono.error(e instanceof StorageUnavailableException ? Problems.toProblem(e) : e);
    }

    private static ResponseEntity<Object> problem(HttpStatus status, String error, String detail, Integer triesLeft) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://drawbridge.dev/problems/" + error);
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("error", error);
        if (triesLeft != null) {
            body.put("tries_left", triesLeft);
        }
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(body);
    }

    private static final class ShareRefusedProblem extends RuntimeException {
        private final HttpStatus status;
        private final String error;

        ShareRefusedProblem(HttpStatus status, String error, String detail, Throwable cause) {
            super(detail, cause, false, false);
            this.status = status;
            this.error = error;
        }
    }
}
