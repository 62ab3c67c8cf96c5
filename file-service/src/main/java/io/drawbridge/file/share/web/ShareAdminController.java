package io.drawbridge.file.share.web;

import io.drawbridge.file.share.domain.ShareRefused;
import io.drawbridge.file.share.domain.Shares;
import io.drawbridge.platform.web.ProblemException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The admin's view of one-time shares (admin token, or an API key: {@code read} lists, {@code admin} deletes): what
 * there is and where it stands, never a name, a type, a content or a token (issue #10: "no names, no content").
 */
@RestController
@RequestMapping("/api/v1/shares")
class ShareAdminController {

    private final Shares shares;

    ShareAdminController(Shares shares) {
        this.shares = shares;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ShareRow(
            UUID id,
            String tokenHashPrefix,
            String kind,
            String status,
            long size,
            int maxReads,
            int readsLeft,
            boolean passwordProtected,
            boolean locked,
            Instant createdAt,
            Instant expiresAt) {}

    record Page(List<ShareRow> items, int page, int size, long total) {}

    /** Newest first; {@code status} = active, burnt, expired or deleted. */
    @GetMapping
    Mono<Page> list(
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return shares.list(status == null || status.isBlank() ? null : status.trim(), page, size)
                .map(found -> new Page(
                        found.items().stream()
                                .map(s -> new ShareRow(
                                        s.id(),
                                        s.tokenHashPrefix(),
                                        s.kind(),
                                        s.status(),
                                        s.size(),
                                        s.maxReads(),
                                        s.readsLeft(),
                                        s.guarded(),
                                        s.locked(),
                                        s.createdAt(),
                                        s.expiresAt()))
                                .toList(),
                        found.page(),
                        found.size(),
                        found.total()))
                .onErrorMap(
                        ShareRefused.class,
                        refused -> new ProblemException(
                                HttpStatus.BAD_REQUEST, refused.reason().code(), refused.detail()));
    }

    /**
     * Deletes a share now: its key material and object go as after its last read, and the link answers 410 from then
     * on. 204 also when it had ended already; 404 {@code share_not_found} for an unknown id.
     */
    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Void>> delete(@PathVariable UUID id) {
        return shares.delete(id)
                .map(ended -> ResponseEntity.noContent().<Void>build())
                .switchIfEmpty(Mono.error(
                        () -> new ProblemException(HttpStatus.NOT_FOUND, "share_not_found", "no share " + id)));
    }
}
